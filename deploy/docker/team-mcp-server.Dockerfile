# The image every team's Fly machine runs. The jar is built on the host (./mvnw -q -pl team-mcp-server package).
#   docker build -f deploy/docker/team-mcp-server.Dockerfile -t registry.fly.io/flotilla-team-mcp-server:<version> .
# then deploy by digest: FLOTILLA_TEAM_SERVER_IMAGE=registry.fly.io/flotilla-team-mcp-server@sha256:...
# Java 25 for its AOT cache (JEP 483/514/515); the jar itself targets Java 17.
FROM eclipse-temurin:25.0.3_9-jre-noble
RUN groupadd --system team && useradd --system --gid team --home /app team
WORKDIR /app
COPY team-mcp-server/target/team-mcp-server.jar /app/team-mcp-server.jar
# A woken machine's JVM start is latency an agent feels. One training run (--train: a throw-away server on
# loopback, one MCP conversation through the auth gate, then exit) records what a start and a first request load,
# link and run; every start maps that cache instead of doing the work again. Same flags as the entrypoint.
RUN java -XX:AOTCacheOutput=/app/team-mcp-server.aot -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k \
        -jar /app/team-mcp-server.jar --train
USER team
ENV PORT=8080
EXPOSE 8080
ENTRYPOINT ["java", "-XX:AOTCache=/app/team-mcp-server.aot", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", \
            "-XX:MaxRAMPercentage=60", "-Xss512k", "-jar", "/app/team-mcp-server.jar"]
