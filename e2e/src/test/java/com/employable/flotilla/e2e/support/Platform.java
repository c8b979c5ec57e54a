package com.employable.flotilla.e2e.support;

import static com.employable.flotilla.e2e.support.ServiceProcesses.randomKey;

import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole platform as packaged processes: local-fly and the four services (any number of instances each) on the
 * shared test broker and a fresh database, wired the way devstack wires them. Harnesses and end-to-end tests start one,
 * drive it from outside (Kafka, HTTP) and close it.
 */
public final class Platform implements AutoCloseable {

    public static final String FLY_TOKEN = "e2e-platform-fly-token";

    public static final String JWT_ISSUER = "flotilla-e2e";

    public static final String JWT_AUDIENCE = "flotilla";

    private final List<Process> processes = new ArrayList<>();

    private final Map<String, List<ServiceProcesses.Service>> services = new LinkedHashMap<>();

    private final Map<String, String> env = new LinkedHashMap<>();

    private final String jwtSecret = randomKey();

    private final String name;

    private ServiceProcesses.LocalFly fly;

    private TcpProxy database;

    private Platform(String name) {
        this.name = name;
    }

    /** What to start and how: local-fly's runtime and environment, instances per service, extra service env. */
    public record Options(
            String flyRuntime,
            Map<String, String> flyEnv,
            Map<String, String> serviceEnv,
            Map<String, Integer> instances,
            String kafkaBootstrap) {

        public static Options defaults() {
            return new Options("process", Map.of(), Map.of(), Map.of(), null);
        }

        /** A broker of the test's own (one it can restart) instead of the shared test broker. */
        public Options withKafka(String bootstrapServers) {
            return new Options(flyRuntime, flyEnv, serviceEnv, instances, bootstrapServers);
        }

        public Options withFlyEnv(Map<String, String> more) {
            var merged = new LinkedHashMap<>(flyEnv);
            merged.putAll(more);
            return new Options(flyRuntime, merged, serviceEnv, instances, kafkaBootstrap);
        }

        public Options withServiceEnv(Map<String, String> more) {
            var merged = new LinkedHashMap<>(serviceEnv);
            merged.putAll(more);
            return new Options(flyRuntime, flyEnv, merged, instances, kafkaBootstrap);
        }

        public Options withRuntime(String runtime) {
            return new Options(runtime, flyEnv, serviceEnv, instances, kafkaBootstrap);
        }

        public Options withInstances(String service, int count) {
            var merged = new LinkedHashMap<>(instances);
            merged.put(service, count);
            return new Options(flyRuntime, flyEnv, serviceEnv, merged, kafkaBootstrap);
        }

        int instancesOf(String service) {
            return instances.getOrDefault(service, 1);
        }
    }

    public static final List<String> SERVICES =
            List.of("provisioner-service", "registry-service", "health-service", "billing-service");

    /** Starts local-fly, then every service, and returns once each answers ready. */
    public static Platform start(String name, Options options) throws IOException {
        Platform platform = new Platform(name);
        try {
            platform.startAll(options);
            return platform;
        } catch (IOException | RuntimeException | Error failed) {
            platform.close();
            throw failed;
        }
    }

    private void startAll(Options options) throws IOException {
        var db = TestPostgres.newDatabase(name.replace('-', '_'));
        // every service reaches the database through a relay a test can cut (an outage) without touching the server
        URI server = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        database = new TcpProxy(server.getHost(), server.getPort());
        String jdbcUrl =
                db.jdbcUrl().replace(server.getHost() + ":" + server.getPort(), "127.0.0.1:" + database.port());
        fly = ServiceProcesses.startLocalFly(name + "-fly", options.flyRuntime(), FLY_TOKEN, options.flyEnv());
        processes.add(fly.process());
        env.put(
                "FLOTILLA_KAFKA_BOOTSTRAP",
                options.kafkaBootstrap() == null ? TestKafka.bootstrapServers() : options.kafkaBootstrap());
        env.put("FLOTILLA_DATABASE_URL", jdbcUrl);
        env.put("FLOTILLA_DATABASE_USER", db.user());
        env.put("FLOTILLA_DATABASE_PASSWORD", db.password());
        env.put("FLOTILLA_GATEWAY_KEY", randomKey());
        env.put("FLOTILLA_PROBE_KEY", randomKey());
        env.put("FLOTILLA_TEAM_DB_KEY", randomKey());
        env.put("FLOTILLA_FLY_API_URL", fly.apiUrl());
        env.put("FLY_API_TOKEN", FLY_TOKEN);
        env.put("FLOTILLA_ENDPOINT_URL_TEMPLATE", fly.endpointTemplate());
        env.put("FLOTILLA_PRIVATE_ENDPOINT_URL_TEMPLATE", fly.endpointTemplate());
        env.put("FLOTILLA_MACHINE_URL_TEMPLATE", fly.machineTemplate());
        env.put("FLOTILLA_JWT_HS256_SECRET", jwtSecret);
        env.put("FLOTILLA_JWT_ISSUER", JWT_ISSUER);
        env.put("FLOTILLA_JWT_AUDIENCE", JWT_AUDIENCE);
        env.putAll(options.serviceEnv());
        for (String service : SERVICES) {
            for (int instance = 0; instance < options.instancesOf(service); instance++) {
                startInstance(service);
            }
        }
    }

    /** Starts one more instance of the service (a scale-out, or a restart after a kill). */
    public ServiceProcesses.Service startInstance(String service) throws IOException {
        int index = services.getOrDefault(service, List.of()).size();
        ServiceProcesses.Service started = ServiceProcesses.startService(
                name + "-" + service + "-" + index, ServiceProcesses.jar(service), List.of(), env);
        processes.add(started.process());
        services.computeIfAbsent(service, k -> new ArrayList<>()).add(started);
        return started;
    }

    /** The relay every service's database connections go through: {@code cut()} is a database outage. */
    public TcpProxy database() {
        return database;
    }

    /** kill -9 of one live instance of the service; returns whether there was one. */
    public boolean kill(String service, int which) {
        List<ServiceProcesses.Service> live = instances(service);
        if (live.isEmpty()) {
            return false;
        }
        Process process = live.get(Math.floorMod(which, live.size())).process();
        process.destroyForcibly();
        process.onExit().join();
        return true;
    }

    public ServiceProcesses.LocalFly fly() {
        return fly;
    }

    /** The live instances of a service, in start order. */
    public List<ServiceProcesses.Service> instances(String service) {
        return services.getOrDefault(service, List.of()).stream()
                .filter(s -> s.process().isAlive())
                .toList();
    }

    public String url(String service) {
        return "http://127.0.0.1:" + instances(service).getFirst().port();
    }

    /** An agent of the team, as employable's tokens make it: HS256 with the team claim at app_metadata.team_id. */
    public McpAgent agent(String teamId) {
        return new McpAgent(url("registry-service") + "/" + teamId + "/mcp", AgentTokens.hs256(jwtSecret, teamId));
    }

    public String jwtFor(String teamId) {
        return AgentTokens.hs256(jwtSecret, teamId);
    }

    @Override
    public void close() {
        processes.forEach(Process::destroy);
        processes.forEach(process -> process.onExit().join());
        if (database != null) {
            try {
                database.close();
            } catch (IOException ignored) {
                // the relay's threads are daemons
            }
        }
    }
}
