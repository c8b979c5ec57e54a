package com.employable.flotilla.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything devstack needs to know, read from the environment with local defaults.
 *
 * @param root the repository root (the script runs devstack from there)
 * @param externalKafka {@code FLOTILLA_KAFKA_BOOTSTRAP}: use this broker instead of starting one
 * @param externalDatabase {@code FLOTILLA_DATABASE_URL}: use this database instead of the embedded one
 * @param otlpEndpoint {@code OTEL_EXPORTER_OTLP_ENDPOINT}: where the agents export traces (none when unset)
 * @param fly the Fly Machines API the provisioner drives: local-fly, or Fly.io with FLY_API_TOKEN and FLOTILLA_FLY_ORG
 * @param warmPool the provisioner's warm pool, or null for none (the default; a trial with {@code --pool} sets one)
 */
record StackConfig(
        Path root,
        Path home,
        String externalKafka,
        String externalDatabase,
        String databaseUser,
        String databasePassword,
        String otlpEndpoint,
        int kafkaPort,
        int postgresPort,
        String localFlyToken,
        Duration startTimeout,
        FlyTarget fly,
        WarmPool warmPool) {

    /**
     * A warm pool of {@code entries} machines of {@code plan}'s shape in {@code region}, refilled quickly (a trial
     * waits for it).
     */
    record WarmPool(String region, int entries, String plan) {
        /** How the running stack's pool is recorded ({@code .flotilla/warm-pool}), so a trial can compare. */
        String marker() {
            return region + ":" + entries + ":" + plan;
        }
    }

    static final String NO_WARM_POOL = "none";

    StackConfig withWarmPool(WarmPool pool) {
        return new StackConfig(
                root,
                home,
                externalKafka,
                externalDatabase,
                databaseUser,
                databasePassword,
                otlpEndpoint,
                kafkaPort,
                postgresPort,
                localFlyToken,
                startTimeout,
                fly,
                pool);
    }

    /** The team server image the provisioner asks for; local-fly maps it to the team-mcp-server jar. */
    static final String TEAM_SERVER_IMAGE = "registry.fly.io/flotilla-team-mcp-server:0.1.0";

    static final Map<String, Integer> PORTS = Map.of(
            "provisioner-service",
            8081,
            "registry-service",
            8082,
            "health-service",
            8083,
            "billing-service",
            8084,
            "local-fly",
            4280);
    /** Actuator (health, metrics) listens apart from each service's API. */
    static final Map<String, Integer> MANAGEMENT_PORTS = Map.of(
            "provisioner-service", 9081, "registry-service", 9082, "health-service", 9083, "billing-service", 9084);

    static StackConfig fromEnv(Path root) {
        return fromEnv(root, System.getenv());
    }

    static StackConfig fromEnv(Path root, Map<String, String> e) {
        String externalDatabase = blank(e.get("FLOTILLA_DATABASE_URL"));
        int postgresPort = Integer.parseInt(e.getOrDefault("FLOTILLA_DEVSTACK_PG_PORT", "54329"));
        String localFlyToken = e.getOrDefault("LOCAL_FLY_TOKEN", "local-fly-dev-token");
        return new StackConfig(
                root,
                root.resolve(".flotilla"),
                blank(e.get("FLOTILLA_KAFKA_BOOTSTRAP")),
                externalDatabase,
                e.getOrDefault("FLOTILLA_DATABASE_USER", "postgres"),
                e.getOrDefault("FLOTILLA_DATABASE_PASSWORD", ""),
                blank(e.get("OTEL_EXPORTER_OTLP_ENDPOINT")),
                Integer.parseInt(e.getOrDefault("FLOTILLA_DEVSTACK_KAFKA_PORT", "9092")),
                postgresPort,
                localFlyToken,
                Duration.ofSeconds(Long.parseLong(e.getOrDefault("FLOTILLA_DEVSTACK_TIMEOUT_SECONDS", "240"))),
                FlyTarget.of(
                        e,
                        "http://127.0.0.1:" + PORTS.get("local-fly"),
                        localFlyToken,
                        databaseUrl(externalDatabase, postgresPort)),
                null);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    String kafkaBootstrap() {
        return externalKafka != null ? externalKafka : "127.0.0.1:" + kafkaPort;
    }

    String databaseUrl() {
        return databaseUrl(externalDatabase, postgresPort);
    }

    private static String databaseUrl(String externalDatabase, int postgresPort) {
        return externalDatabase != null
                ? externalDatabase
                : "jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres";
    }

    Secrets secrets() {
        try {
            return Secrets.loadOrCreate(home.resolve("secrets.properties"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(String component) {
        return "http://127.0.0.1:" + PORTS.get(component);
    }

    Path jar(String module) {
        return root.resolve(module).resolve("target").resolve(module + ".jar");
    }

    String skipReason(String name) {
        return switch (name) {
            case "kafka" -> externalKafka != null ? "external: " + externalKafka : "not configured";
            case "postgres" -> externalDatabase != null ? "external: " + externalDatabase : "not configured";
            case "local-fly" ->
                fly.local()
                        ? "not built: " + root.relativize(jar(name)) + " is missing"
                        : "not started: the provisioner drives " + fly.apiUrl();
            default -> "not built: " + root.relativize(jar(name)) + " is missing";
        };
    }

    /** The components this stack runs itself, by name; external or unbuilt ones are absent. */
    Map<String, Component> components() {
        Map<String, Component> m = new LinkedHashMap<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = classpath();
        if (externalKafka == null) {
            m.put(
                    "kafka",
                    new Component(
                            "kafka",
                            List.of(
                                    java,
                                    "-Xmx512m",
                                    "-cp",
                                    classpath,
                                    KafkaMain.class.getName(),
                                    home.resolve("kafka").toString(),
                                    Integer.toString(kafkaPort)),
                            Map.of(),
                            "tcp://127.0.0.1:" + kafkaPort));
        }
        if (externalDatabase == null) {
            m.put(
                    "postgres",
                    new Component(
                            "postgres",
                            List.of(
                                    java,
                                    "-Xmx128m",
                                    "-cp",
                                    classpath,
                                    PostgresMain.class.getName(),
                                    home.resolve("pg").toString(),
                                    Integer.toString(postgresPort)),
                            Map.of(),
                            "tcp://127.0.0.1:" + postgresPort));
        }
        Secrets s = secrets();
        if (fly.local() && Files.exists(jar("local-fly"))) {
            m.put(
                    "local-fly",
                    new Component(
                            "local-fly",
                            List.of(java, "-Xmx256m", "-jar", jar("local-fly").toString()),
                            Devstack.env(
                                    "PORT",
                                    4280,
                                    "LOCAL_FLY_TOKEN",
                                    localFlyToken,
                                    "LOCAL_FLY_RUNTIME",
                                    "process",
                                    "LOCAL_FLY_PROXY_PORT",
                                    4281,
                                    "LOCAL_FLY_DATA_DIR",
                                    home.resolve("local-fly"),
                                    // started the way the image starts it (its JVM options, an AOT cache)
                                    "LOCAL_FLY_TEAM_SERVER_JAR",
                                    jar("team-mcp-server")),
                            url("local-fly") + "/healthz"));
        }
        for (String service : Devstack.SERVICES) {
            if (!Files.exists(jar(service))) {
                continue;
            }
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1"));
            Path agent = root.resolve("devstack/target/agent/opentelemetry-javaagent.jar");
            if (Files.exists(agent)) {
                cmd.add("-javaagent:" + agent);
                cmd.add("-Dotel.service.name=" + service);
                cmd.add("-Dotel.metrics.exporter=none");
                cmd.add("-Dotel.logs.exporter=none");
                if (otlpEndpoint == null) {
                    cmd.add("-Dotel.traces.exporter=none");
                } else {
                    cmd.add("-Dotel.exporter.otlp.protocol=http/protobuf");
                    cmd.add("-Dotel.exporter.otlp.endpoint=" + otlpEndpoint);
                }
            }
            cmd.addAll(List.of("-jar", jar(service).toString()));
            m.put(
                    service,
                    new Component(
                            service,
                            cmd,
                            serviceEnv(service, s),
                            "http://127.0.0.1:" + MANAGEMENT_PORTS.get(service) + "/actuator/health/readiness"));
        }
        return m;
    }

    /**
     * A service's environment: each service gets only the platform keys it uses (as in deploy/README.md), and its own
     * database role where devstack manages the database.
     */
    Map<String, String> serviceEnv(String service, Secrets s) {
        boolean provisioner = service.equals("provisioner-service");
        boolean ownRoles = DatabaseRoles.managed(this);
        Map<String, String> env = Devstack.env(
                "PORT",
                PORTS.get(service),
                "FLOTILLA_MANAGEMENT_PORT",
                MANAGEMENT_PORTS.get(service),
                "FLOTILLA_OPERATOR_TOKEN",
                s.operatorToken(),
                "FLOTILLA_KAFKA_BOOTSTRAP",
                kafkaBootstrap(),
                "FLOTILLA_DATABASE_URL",
                databaseUrl(),
                "FLOTILLA_DATABASE_USER",
                ownRoles ? DatabaseRoles.roleOf(service) : databaseUser,
                "FLOTILLA_DATABASE_PASSWORD",
                ownRoles ? s.databasePasswords().get(service) : databasePassword,
                "FLOTILLA_GATEWAY_KEY",
                provisioner || service.equals("registry-service") ? s.gatewayKey() : null,
                "FLOTILLA_PROBE_KEY",
                provisioner || service.equals("health-service") ? s.probeKey() : null,
                "FLOTILLA_TEAM_DB_KEY",
                provisioner ? s.teamDbKey() : null,
                "FLOTILLA_JWT_HS256_SECRET",
                service.equals("registry-service") ? s.jwtSecret() : null,
                "FLOTILLA_JWT_ISSUER",
                Demo.ISSUER,
                "FLOTILLA_JWT_AUDIENCE",
                Demo.AUDIENCE,
                "FLOTILLA_FLY_API_URL",
                fly.apiUrl(),
                "FLY_API_TOKEN",
                provisioner ? fly.token() : service.equals("health-service") ? fly.healthToken() : null,
                "FLOTILLA_FLY_ORG",
                fly.org(),
                // local-fly's proxy stands in for Fly's: agents and probes reach each team's app through it; against
                // Fly.io, through the app's public URL (these processes are outside Fly's private network)
                "FLOTILLA_ENDPOINT_URL_TEMPLATE",
                fly.endpointUrlTemplate(),
                "FLOTILLA_PRIVATE_ENDPOINT_URL_TEMPLATE",
                fly.privateEndpointUrlTemplate(),
                // health probes each started machine over the private network (local-fly's stand-in), or reads its
                // machine checks through the Machines API (Fly.io): never activity either way
                "FLOTILLA_MACHINE_URL_TEMPLATE",
                fly.machineUrlTemplate(),
                "FLOTILLA_HEALTH_PROBE_ADDRESS",
                fly.healthProbeAddress(),
                "FLOTILLA_TEAM_SERVER_IMAGE",
                fly.image(),
                "FLOTILLA_TEAM_DATABASE_URL",
                fly.teamDatabaseUrl());
        if (provisioner && warmPool != null) {
            env.putAll(Devstack.env(
                    "FLOTILLA_POOL_ENABLED",
                    "true",
                    "FLOTILLA_PROVISIONER_POOL_TARGETS_" + warmPool.region().toUpperCase(java.util.Locale.ROOT),
                    warmPool.entries(),
                    "FLOTILLA_PROVISIONER_POOL_CLAIM_PLAN",
                    warmPool.plan(),
                    "FLOTILLA_POOL_REFILL_PER_MINUTE",
                    60));
        }
        return env;
    }

    private String classpath() {
        Path devstack = root.resolve("devstack/target");
        try {
            return devstack.resolve("classes")
                    + java.io.File.pathSeparator
                    + Files.readString(devstack.resolve("classpath.txt")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("devstack is not built (run ./flotilla up, which builds it)", e);
        }
    }

    @Override
    public String toString() {
        return "StackConfig[" + root + ", kafka " + kafkaBootstrap() + ", " + fly + "]";
    }
}
