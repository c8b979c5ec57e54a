# The image every team's Fly machine runs. The jar is built on the host (./mvnw -q -pl team-mcp-server package).
#   docker build -f deploy/docker/team-mcp-server.Dockerfile -t registry.fly.io/flotilla-team-mcp-server:<version> .
# then deploy by digest: FLOTILLA_TEAM_SERVER_IMAGE=registry.fly.io/flotilla-team-mcp-server@sha256:...
FROM eclipse-temurin:17.0.15_6-jre-jammy
RUN groupadd --system team && useradd --system --gid team --home /app team
WORKDIR /app
COPY team-mcp-server/target/team-mcp-server.jar /app/team-mcp-server.jar
# AppCDS: record the classes a start-up loads once at build time, map them at every start. A woken machine's JVM
# start is latency an agent feels. The server exits at once without FLOTILLA_TEAM_ID; the classes loaded while it
# reads its configuration, plus the JDK's, are archived.
RUN java -XX:ArchiveClassesAtExit=/app/team-mcp-server.jsa -jar /app/team-mcp-server.jar || true
USER team
ENV PORT=8080
EXPOSE 8080
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/team-mcp-server.jsa", "-Xshare:auto", "-XX:TieredStopAtLevel=1", \
            "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=60", "-Xss512k", "-jar", "/app/team-mcp-server.jar"]
