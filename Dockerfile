# The hub as docker-compose.yml runs it: build the jar first (./mvnw -DskipTests package).
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY target/invoice-hub.jar /app/invoice-hub.jar
COPY routes /app/routes
ENV HUB_DATA_DIR=/app/data \
    HUB_ROUTES_DIR=/app/routes
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/invoice-hub.jar"]
