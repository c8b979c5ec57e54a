package com.employable.flotilla.devstack;

import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.devstack.events.TeamLifecycleRecords;
import com.employable.flotilla.devstack.mcp.McpClient;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What employable and a user would do against a running stack: publish team lifecycle events, then look at each
 * team through the registry (status, endpoint, a real MCP {@code tools/list} via the gateway) and billing (cost).
 */
final class Demo {

    static final String ISSUER = "flotilla-devstack";
    static final String AUDIENCE = "flotilla";
    static final String SOURCE = "employable/devstack";
    static final List<String[]> SAMPLE_TEAMS = List.of(
            new String[] {"demo-starter", "Demo Starter", "starter"},
            new String[] {"demo-team", "Demo Team", "team"},
            new String[] {"demo-business", "Demo Business", "business"});

    // the HTTP contracts of registry and billing, overridable while those APIs settle
    static final String REGISTRY_TEAM = env("FLOTILLA_DEVSTACK_REGISTRY_TEAM_PATH", "/v1/teams/{team}/server");
    static final String GATEWAY = env("FLOTILLA_DEVSTACK_GATEWAY_PATH", "/{team}/mcp");
    static final String BILLING_TEAM = env("FLOTILLA_DEVSTACK_BILLING_TEAM_PATH", "/v1/teams/{team}/costs");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final McpClient MCP = new McpClient(Duration.ofSeconds(30));

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final StackConfig config;
    private final PrintStream out;

    /** When this run published its teams: a "ready" the registry recorded before then is the previous run's. */
    private Instant publishedAt = Instant.EPOCH;

    Demo(StackConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    void publishSampleTeams() throws Exception {
        publishedAt = Instant.now();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (String[] t : SAMPLE_TEAMS) {
                producer.send(TeamLifecycleRecords.of(
                                SOURCE, new TeamCreated(t[0], 1, t[1], t[2], "fra", Instant.now())))
                        .get();
                out.printf("  published %s for %s (plan %s)%n", TeamCreated.TYPE, t[0], t[2]);
            }
        }
    }

    /** Publishes a team lifecycle event from a file: a structured CloudEvent ({@code type}, {@code data}, ...). */
    int publishFile(Path file) throws Exception {
        JsonNode event = JSON.readTree(Files.readString(file));
        if (event.path("type").isMissingNode() || event.path("data").isMissingNode()) {
            System.err.println(file + ": expected a CloudEvent with \"type\" and \"data\" (see devstack/examples/)");
            return 2;
        }
        String type = event.path("type").asString();
        String team = event.path("data").path("teamId").asString();
        String id = event.path("id").isMissingNode()
                ? UUID.randomUUID().toString()
                : event.path("id").asString();
        Instant time = event.path("time").isMissingNode()
                ? Instant.now()
                : Instant.parse(event.path("time").asString());
        String source = event.path("source").isMissingNode()
                ? SOURCE
                : event.path("source").asString();
        byte[] data = JSON.writeValueAsBytes(event.path("data"));
        try {
            TeamLifecycleRecords.validate(type, source, team, data);
        } catch (IllegalArgumentException e) {
            System.err.println(file + ": not a valid team lifecycle event: " + e.getMessage());
            return 2;
        }
        ProducerRecord<String, byte[]> record = TeamLifecycleRecords.of(type, team, id, source, time, data);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            var meta = producer.send(record).get();
            out.printf("published %s for %s to %s-%d@%d%n", type, team, meta.topic(), meta.partition(), meta.offset());
        } catch (java.util.concurrent.ExecutionException e) {
            System.err.printf(
                    "could not publish to %s (is the platform up? ./flotilla up): %s%n",
                    config.kafkaBootstrap(), e.getCause().getMessage());
            return 1;
        }
        return 0;
    }

    boolean awaitTeams() throws InterruptedException {
        Instant begin = Instant.now();
        Instant deadline = begin.plus(config.startTimeout());
        while (Instant.now().isBefore(deadline)) {
            List<String> pending = new ArrayList<>();
            for (String[] t : SAMPLE_TEAMS) {
                JsonNode team = registryTeam(t[0]);
                String status = team == null ? "unknown" : text(team, "status");
                if (!"ready".equalsIgnoreCase(status)) {
                    pending.add(t[0] + "=" + status);
                } else if (!updatedSincePublished(team)) {
                    // a team kept from an earlier run is re-provisioned by this run's team.created; until the
                    // registry has seen that, its "ready" points at a machine that is about to be replaced
                    pending.add(t[0] + "=ready from an earlier run");
                }
            }
            if (pending.isEmpty()) {
                Progress.done(out, "  all teams ready");
                return true;
            }
            Progress.line(
                    out,
                    "  provisioning " + String.join(", ", pending),
                    Duration.between(begin, Instant.now()).toSeconds());
            Thread.sleep(1000);
        }
        out.println();
        return false;
    }

    void show() {
        out.printf("%-15s %-9s %-10s %-55s %s%n", "TEAM", "PLAN", "STATUS", "ENDPOINT", "COST SO FAR");
        for (String[] t : SAMPLE_TEAMS) {
            JsonNode team = registryTeam(t[0]);
            String status = team == null ? "unknown" : text(team, "status");
            String endpoint = team == null ? "-" : text(team.path("endpoint"), "url");
            out.printf("%-15s %-9s %-10s %-55s %s%n", t[0], t[2], status, endpoint, cost(t[0]));
            out.printf("    tools/list via gateway: %s%n", toolsList(t[0]));
        }
    }

    private boolean updatedSincePublished(JsonNode team) {
        JsonNode updatedAt = team.path("updatedAt");
        return !updatedAt.isString() || !Instant.parse(updatedAt.asString()).isBefore(publishedAt);
    }

    private JsonNode registryTeam(String team) {
        return getJson(config.url("registry-service") + REGISTRY_TEAM.replace("{team}", team), token(team));
    }

    private String cost(String team) {
        // billing's API is internal: operators (and this demo) present the operator token, not an agent's
        JsonNode node = getJson(
                config.url("billing-service") + BILLING_TEAM.replace("{team}", team),
                config.secrets().operatorToken());
        if (node == null) {
            return "n/a";
        }
        for (String field : List.of("totalUsd", "costUsd", "amountUsd", "total")) {
            if (node.has(field)) {
                return "$" + node.get(field).asString();
            }
        }
        return node.toString();
    }

    /** A real MCP exchange (initialize, initialized, tools/list) over Streamable HTTP through the gateway. */
    String toolsList(String team) {
        var result = MCP.toolsList(config.url("registry-service") + GATEWAY.replace("{team}", team), token(team));
        return result.ok() ? result.tools().size() + " tools " + result.tools() : result.failure();
    }

    private JsonNode getJson(String url, String bearer) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(5))
                            .header("Authorization", "Bearer " + bearer)
                            .header("Accept", "application/json")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A demo employable token: HS256 with the stack's demo secret, team claim at app_metadata.team_id. */
    String token(String team) {
        try {
            // the HS256 secret is used as its UTF-8 bytes, as Supabase uses its JWT secret
            byte[] secret = config.secrets().jwtSecret().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(ISSUER)
                    .audience(AUDIENCE)
                    .subject("devstack-agent")
                    .claim("app_metadata", Map.of("team_id", team))
                    .issueTime(new Date())
                    .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign the demo token", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? "-" : v.asString();
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15000);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}
