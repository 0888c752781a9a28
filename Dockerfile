# The hub as docker-compose.yml and deploy/kubernetes run it: build the jar first (./mvnw -DskipTests package).
FROM eclipse-temurin:17-jre
WORKDIR /app
# An unprivileged user; the partners' SFTP homes volume must be writable by it: Docker copies this ownership into a
# new named volume; on Kubernetes see docs/production.md (fsGroup, or the volume's own uid settings).
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /app hub \
    && mkdir -p /app/data /app/config /srv/sftp/homes \
    && chown -R 10001:10001 /app/data /srv/sftp
COPY target/invoice-hub.jar /app/invoice-hub.jar
COPY routes /app/routes
COPY mappings/json /app/mappings/json
ENV HUB_DATA_DIR=/app/data \
    HUB_ROUTES_DIR=/app/routes \
    HUB_MAPPINGS_DIR=/app/mappings/json \
    HUB_SFTP_HOMES_DIR=/srv/sftp/homes
USER 10001
# 8080: HTTP (API, console, webhooks, actuator); 2222: partners' SFTP.
EXPOSE 8080 2222
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/invoice-hub.jar"]
