# The image every team's Fly machine runs. The jar is built on the host (./mvnw -q -pl team-mcp-server package).
#   docker build -f deploy/docker/team-mcp-server.Dockerfile -t registry.fly.io/flotilla-team-mcp-server:<version> .
# then deploy by digest: FLOTILLA_TEAM_SERVER_IMAGE=registry.fly.io/flotilla-team-mcp-server@sha256:...
# A woken machine's start is latency an agent feels. The choices below are measured in team-mcp-server/README.md.

# A Java 25 runtime with only the modules the server uses (team-mcp-server/image/java.modules). Java 25 is for its AOT
# cache (JEP 483/514/515). The jar targets Java 25, like every module (the root pom's java.version).
FROM eclipse-temurin:25.0.3_9-jdk-noble AS runtime
COPY team-mcp-server/image/java.modules /tmp/java.modules
RUN jlink --add-modules "$(grep -v '^#' /tmp/java.modules | paste -sd, -)" \
        --strip-debug --no-man-pages --no-header-files --output /opt/java

FROM ubuntu:24.04
RUN groupadd --system team && useradd --system --gid team --home /app team
COPY --from=runtime /opt/java /opt/java
ENV PATH=/opt/java/bin:$PATH
WORKDIR /app
COPY team-mcp-server/target/team-mcp-server.jar /app/team-mcp-server.jar
COPY team-mcp-server/image/jvm.options /app/jvm.options
# One training run (--train: a throw-away server on loopback, one MCP conversation through the auth gate, then exit)
# records what a start and a first request load and link. Every start maps that cache instead of doing the work
# again. The training uses the same options file as the entrypoint, as the cache requires.
RUN java @/app/jvm.options -XX:AOTCacheOutput=/app/team-mcp-server.aot -jar /app/team-mcp-server.jar --train
# Where a warm-pool claim writes the team's identity (exec runs as root; the file takes this directory's owner, so the
# server, running as team, reads it): the provisioner's FLOTILLA_PROVISIONER_POOL_CLAIM_IDENTITYFILE
RUN mkdir -p /var/lib/flotilla && chown team:team /var/lib/flotilla && chmod 700 /var/lib/flotilla
USER team
ENV PORT=8080
EXPOSE 8080
ENTRYPOINT ["java", "@/app/jvm.options", "-XX:AOTCache=/app/team-mcp-server.aot", "-jar", "/app/team-mcp-server.jar"]
