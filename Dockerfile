# The hub as docker-compose.yml runs it: build the jar first (./mvnw -DskipTests package).
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY target/invoice-hub.jar /app/invoice-hub.jar
COPY routes /app/routes
COPY mappings/json /app/mappings/json
ENV HUB_DATA_DIR=/app/data \
    HUB_ROUTES_DIR=/app/routes \
    HUB_MAPPINGS_DIR=/app/mappings/json
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/invoice-hub.jar"]
