package com.employable.flotilla.localfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.localfly.FlyClient.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The API's contract as Fly documents it, through plain HTTP (OkHttp), on the simulated runtime. */
class LocalFlyApiTest {

    @TempDir
    static Path dataDir;

    private static LocalFly fly;
    private static FlyClient client;

    @BeforeAll
    static void start() throws Exception {
        fly = LocalFly.start(LocalFlyConfig.simulated(dataDir).withCapacity(Map.of("syd", 1)));
        client = new FlyClient(fly.apiUrl(), fly.token());
    }

    @AfterAll
    static void stop() {
        fly.close();
    }

    private static String newApp() {
        String name = "app-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(client.post(
                                "/v1/apps",
                                "{\"app_name\":\"" + name + "\",\"org_slug\":\"personal\",\"network\":\"" + name
                                        + "\"}")
                        .status())
                .isEqualTo(201);
        return name;
    }

    private static String newMachine(String app, boolean skipLaunch) {
        Reply created = client.post(
                "/v1/apps/" + app + "/machines",
                "{\"region\":\"iad\",\"skip_launch\":"
                        + skipLaunch + ",\"config\":{\"image\":\"registry.fly.io/x:1\",\"metadata\":{\"team\":\"t1\"},"
                        + "\"guest\":{\"cpu_kind\":\"shared\",\"cpus\":1,\"memory_mb\":256}}}");
        assertThat(created.status()).isEqualTo(200);
        return created.body().path("id").asString();
    }

    private static String waitFor(String app, String id, String state) {
        Reply reply = withinRateLimit(
                () -> client.get("/v1/apps/" + app + "/machines/" + id + "/wait?state=" + state + "&timeout=10"));
        assertThat(reply.status()).as(reply.error()).isEqualTo(200);
        return reply.body().path("state").asString();
    }

    /** As Fly's clients do: a 429 (1 wait or list a second per machine or app, bursts of 3) is retried shortly. */
    private static Reply withinRateLimit(Supplier<Reply> call) {
        AtomicReference<Reply> reply = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    reply.set(call.get());
                    return reply.get().status() != 429;
                });
        return reply.get();
    }

    private static JsonNode list(String app, String query) {
        return withinRateLimit(() -> client.get("/v1/apps/" + app + "/machines" + query))
                .body();
    }

    @Test
    void withoutTheTokenEverythingIs401InFlysWords() {
        Reply reply = new FlyClient(fly.apiUrl(), null).get("/v1/apps?org_slug=personal");
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.error()).isEqualTo("Authenticate: token validation error");
        assertThat(new FlyClient(fly.apiUrl(), "wrong")
                        .get("/v1/apps?org_slug=personal")
                        .status())
                .isEqualTo(401);
    }

    @Test
    void appsAreCreatedOnTheirOwnNetworkListedAndDeletedWithTheirMachines() {
        String app = newApp();
        Reply taken = client.post("/v1/apps", "{\"app_name\":\"" + app + "\",\"org_slug\":\"personal\"}");
        assertThat(taken.status()).isEqualTo(422);
        assertThat(taken.body().path("status").asString()).isEqualTo("name_taken");

        JsonNode got = client.get("/v1/apps/" + app).body();
        assertThat(got.path("network").asString()).isEqualTo(app);
        assertThat(got.path("organization").path("slug").asString()).isEqualTo("personal");
        JsonNode listed = client.get("/v1/apps?org_slug=personal").body();
        assertThat(listed.path("total_apps").asInt()).isPositive();
        assertThat(listed.path("apps")
                        .valueStream()
                        .filter(a -> a.path("name").asString().equals(app))
                        .findFirst())
                .hasValueSatisfying(
                        a -> assertThat(a.path("network").asString()).isEqualTo(app));

        String machine = newMachine(app, false);
        waitFor(app, machine, "started");
        assertThat(client.delete("/v1/apps/" + app).status()).isEqualTo(412);
        assertThat(client.delete("/v1/apps/" + app + "?force=true").status()).isEqualTo(202);
        assertThat(client.get("/v1/apps/" + app).status()).isEqualTo(404);
        assertThat(client.get("/v1/apps/" + app + "/machines/" + machine).status())
                .isEqualTo(404);
    }

    @Test
    void aMachineWalksTheDocumentedStateMachine() {
        String app = newApp();
        String id = newMachine(app, false);
        assertThat(waitFor(app, id, "started")).isEqualTo("started");

        assertThat(client.post("/v1/apps/" + app + "/machines/" + id + "/start", null)
                        .status())
                .isEqualTo(412);
        assertThat(client.post("/v1/apps/" + app + "/machines/" + id + "/suspend", null)
                        .status())
                .isEqualTo(200);
        assertThat(waitFor(app, id, "suspended")).isEqualTo("suspended");
        Reply resumed = client.post("/v1/apps/" + app + "/machines/" + id + "/start", null);
        assertThat(resumed.body().path("previous_state").asString()).isEqualTo("suspended");
        waitFor(app, id, "started");
        assertThat(client.post("/v1/apps/" + app + "/machines/" + id + "/stop", "{\"signal\":\"SIGTERM\"}")
                        .status())
                .isEqualTo(200);
        waitFor(app, id, "stopped");
        assertThat(client.post("/v1/apps/" + app + "/machines/" + id + "/suspend", null)
                        .status())
                .isEqualTo(412);

        // update: full config, immutable region, new version; a stopped machine with skip_launch stays stopped
        String version = client.get("/v1/apps/" + app + "/machines/" + id)
                .body()
                .path("instance_id")
                .asString();
        Reply moved = client.post(
                "/v1/apps/" + app + "/machines/" + id,
                "{\"region\":\"fra\",\"config\":{\"image\":\"registry.fly.io/x:2\"}}");
        assertThat(moved.status()).isEqualTo(400);
        Reply updated = client.post(
                "/v1/apps/" + app + "/machines/" + id,
                "{\"skip_launch\":true,\"config\":{\"image\":\"registry.fly.io/x:2\"}}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.body().path("instance_id").asString()).isNotEqualTo(version);
        assertThat(updated.body().path("state").asString()).isEqualTo("stopped");

        assertThat(client.post("/v1/apps/" + app + "/machines/" + id + "/start", null)
                        .status())
                .isEqualTo(200);
        waitFor(app, id, "started");
        assertThat(client.delete("/v1/apps/" + app + "/machines/" + id).status())
                .isEqualTo(412);
        assertThat(client.delete("/v1/apps/" + app + "/machines/" + id + "?force=true")
                        .status())
                .isEqualTo(200);
        assertThat(waitFor(app, id, "destroyed")).isEqualTo("destroyed");
        assertThat(client.get("/v1/apps/" + app + "/machines").body()).isEmpty();
        assertThat(client.get("/v1/apps/" + app + "/machines?include_deleted=true")
                        .body())
                .hasSize(1);

        JsonNode events = client.get("/v1/apps/" + app + "/machines/" + id + "/events?limit=50")
                .body();
        assertThat(events.valueStream().map(e -> e.path("type").asString()).toList())
                .contains("launch", "start", "exit", "update", "destroy");
        assertThat(events.get(0).path("id").asString()).hasSize(26);
    }

    @Test
    void listFiltersByMetadataRegionAndState() {
        String app = newApp();
        String started = newMachine(app, false);
        String created = newMachine(app, true);
        waitFor(app, started, "started");
        assertThat(list(app, "?metadata.team=t1")).hasSize(2);
        assertThat(list(app, "?metadata.team=t2")).isEmpty();
        assertThat(list(app, "?state=started"))
                .singleElement()
                .satisfies(m -> assertThat(m.path("id").asString()).isEqualTo(started));
        assertThat(list(app, "?region=fra")).isEmpty();
        JsonNode summary = list(app, "?summary=true");
        assertThat(summary.get(0).has("config")).isFalse();
        assertThat(client.get("/v1/apps/" + app + "/machines/" + created)
                        .body()
                        .path("state")
                        .asString())
                .isEqualTo("created");
    }

    @Test
    void waitEnforcesFlysTimeoutRangeAndAnswers408WithFlysBody() {
        String app = newApp();
        String id = newMachine(app, true);
        assertThat(client.get("/v1/apps/" + app + "/machines/" + id + "/wait?timeout=0")
                        .status())
                .isEqualTo(400);
        assertThat(client.get("/v1/apps/" + app + "/machines/" + id + "/wait?timeout=61")
                        .status())
                .isEqualTo(400);
        Reply timedOut = client.get("/v1/apps/" + app + "/machines/" + id + "/wait?state=started&timeout=1");
        assertThat(timedOut.status()).isEqualTo(408);
        assertThat(timedOut.error()).isEqualTo("machine failed to reach desired state, started, currently created");
    }

    @Test
    void leasesConflictAndEveryMutationNeedsTheNonce() {
        String app = newApp();
        String id = newMachine(app, false);
        waitFor(app, id, "started");
        String base = "/v1/apps/" + app + "/machines/" + id;
        assertThat(client.get(base + "/lease").status()).isEqualTo(404);

        Reply lease = client.post(base + "/lease", "{\"ttl\":30,\"description\":\"test\"}");
        assertThat(lease.status()).isEqualTo(201);
        String nonce = lease.body().path("data").path("nonce").asString();
        assertThat(client.post(base + "/lease", "{\"ttl\":30}").status()).isEqualTo(409);
        assertThat(client.send("POST", base + "/lease", "{\"ttl\":60}", nonce).status())
                .isEqualTo(201);

        assertThat(client.post(base + "/stop", null).status()).isEqualTo(409);
        assertThat(client.send("POST", base + "/stop", null, "wrong").status()).isEqualTo(409);
        assertThat(client.send("POST", base + "/stop", null, nonce).status()).isEqualTo(200);
        assertThat(client.get(base + "/lease").body().path("data").path("nonce").asString())
                .isEqualTo(nonce);
        assertThat(client.send("DELETE", base + "/lease", null, "wrong").status())
                .isEqualTo(409);
        assertThat(client.send("DELETE", base + "/lease", null, nonce).status()).isEqualTo(200);
        waitFor(app, id, "stopped");
        assertThat(client.post(base + "/start", null).status()).isEqualTo(200);
    }

    @Test
    void secretsAreVersionedAndWriteOnlyUnlessAskedFor() {
        String app = newApp();
        Reply first = client.post("/v1/apps/" + app + "/secrets", "{\"values\":{\"A\":\"one\",\"B\":\"two\"}}");
        assertThat(first.body().path("version").asLong()).isEqualTo(1);
        Reply second = client.post("/v1/apps/" + app + "/secrets", "{\"values\":{\"A\":\"uno\",\"B\":null}}");
        assertThat(second.body().path("version").asLong()).isEqualTo(2);
        JsonNode listed = client.get("/v1/apps/" + app + "/secrets").body();
        assertThat(listed.path("secrets")).hasSize(1);
        assertThat(listed.path("secrets").get(0).has("value")).isFalse();
        assertThat(listed.path("secrets").get(0).path("digest").asString()).isNotBlank();
        assertThat(client.get("/v1/apps/" + app + "/secrets?show_secrets=true")
                        .body()
                        .path("secrets")
                        .get(0)
                        .path("value")
                        .asString())
                .isEqualTo("uno");
    }

    @Test
    void flycastLandsInTheNetworkAskedFor() {
        String app = newApp();
        Reply flycast = client.post(
                "/v1/apps/" + app + "/ip_assignments", "{\"type\":\"private_v6\",\"network\":\"" + app + "\"}");
        assertThat(flycast.status()).isEqualTo(200);
        assertThat(flycast.body().path("ip").asString()).startsWith("fdaa:");
        client.post("/v1/apps/" + app + "/ip_assignments", "{\"type\":\"shared_v4\"}");
        JsonNode ips = client.get("/v1/apps/" + app + "/ip_assignments").body().path("ips");
        assertThat(ips).hasSize(2);
        assertThat(ips.get(0).path("network").asString()).isEqualTo(app);
        String other = newApp();
        String otherIp = client.post(
                        "/v1/apps/" + other + "/ip_assignments",
                        "{\"type\":\"private_v6\",\"network\":\"" + other + "\"}")
                .body()
                .path("ip")
                .asString();
        // different networks: different 6PN prefixes
        assertThat(otherIp.substring(0, otherIp.indexOf(":0:1:")))
                .isNotEqualTo(ips.get(0).path("ip").asString().substring(0, otherIp.indexOf(":0:1:")));
    }

    @Test
    void rateLimitsAnswer429OverTheBurstAndCountIt() {
        String app = newApp();
        String id = newMachine(app, true);
        // a machine action: 1 req/s with bursts of 3 — four immediate calls cannot all pass
        int limited = 0;
        for (int i = 0; i < 4; i++) {
            if (client.post("/v1/apps/" + app + "/machines/" + id + "/restart", null)
                            .status()
                    == 429) {
                limited++;
            }
        }
        assertThat(limited).isEqualTo(1);
        Reply refused = client.post("/v1/apps/" + app + "/machines/" + id + "/restart", null);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.error()).contains("rate limit");
        assertThat(fly.rateLimits().counters().get("machine_restart_post")).containsEntry("limited", 2L);
        // another machine has its own budget
        String other = newMachine(app, true);
        assertThat(client.post("/v1/apps/" + app + "/machines/" + other + "/restart", null)
                        .status())
                .isNotEqualTo(429);
    }

    @Test
    void beyondRegionalCapacityCreateFailsAsFlyDoes() {
        String app = newApp();
        String body = "{\"region\":\"syd\",\"config\":{\"image\":\"registry.fly.io/x:1\"}}";
        assertThat(client.post("/v1/apps/" + app + "/machines", body).status()).isEqualTo(200);
        Reply full = client.post("/v1/apps/" + app + "/machines", body);
        assertThat(full.status()).isEqualTo(412);
        assertThat(full.body().path("status").asString()).isEqualTo("insufficient_capacity");
    }

    @Test
    void aRegionFlyDoesNotHaveIsRefusedOnCreateAsFlyRefusesIt() {
        String app = newApp();
        for (String region : new String[] {"mars", "fra,mars"}) {
            Reply refused = client.post(
                    "/v1/apps/" + app + "/machines",
                    "{\"region\":\"" + region + "\",\"config\":{\"image\":\"registry.fly.io/x:1\"}}");
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.error()).isEqualTo("region mars not found");
        }
        assertThat(client.get("/v1/apps/" + app + "/machines").body()).isEmpty();
        Reply fallback = client.post(
                "/v1/apps/" + app + "/machines",
                "{\"region\":\"syd,apac\",\"config\":{\"image\":\"registry.fly.io/x:1\"}}");
        assertThat(fallback.status()).isEqualTo(200);
        assertThat(fallback.body().path("region").asString()).isIn("syd", "bom", "nrt", "sin");
    }

    @Test
    void injectedFaultsAreAnsweredCountedAndCleared() {
        String app = newApp();
        FlyClient admin = new FlyClient(fly.apiUrl(), null);
        admin.post(
                "/_admin/faults",
                "{\"method\":\"GET\",\"path\":\"/v1/apps/" + app + "\",\"kind\":\"status\","
                        + "\"status\":503,\"times\":2}");
        assertThat(client.get("/v1/apps/" + app).status()).isEqualTo(503);
        assertThat(client.get("/v1/apps/" + app).status()).isEqualTo(503);
        assertThat(client.get("/v1/apps/" + app).status()).isEqualTo(200);

        // ambiguous: the machine is created, the client is told it failed
        admin.post(
                "/_admin/faults",
                "{\"method\":\"POST\",\"path\":\"/v1/apps/" + app + "/machines\","
                        + "\"kind\":\"ambiguous\",\"status\":500,\"times\":1}");
        Reply failed = client.post(
                "/v1/apps/" + app + "/machines",
                "{\"region\":\"iad\",\"config\":{\"image\":"
                        + "\"registry.fly.io/x:1\",\"metadata\":{\"flotilla_create_key\":\"k1\"}}}");
        assertThat(failed.status()).isEqualTo(500);
        assertThat(client.get("/v1/apps/" + app + "/machines?metadata.flotilla_create_key=k1")
                        .body())
                .hasSize(1);
        assertThat(admin.get("/_admin/faults").body().path("fired").asLong()).isGreaterThanOrEqualTo(3);

        admin.post("/_admin/capacity", "{\"region\":\"lax\",\"machines\":0}");
        assertThat(client.post("/v1/apps/" + app + "/machines", "{\"region\":\"lax\",\"config\":{\"image\":\"x\"}}")
                        .status())
                .isEqualTo(412);
        admin.post("/_admin/capacity", "{\"region\":\"lax\",\"machines\":null}");
        admin.delete("/_admin/faults");
        assertThat(admin.get("/_admin/faults").body().path("rules")).isEmpty();
    }

    @Test
    void badRequestsGetFlysErrorShape() {
        String app = newApp();
        Reply noImage = client.post("/v1/apps/" + app + "/machines", "{\"config\":{}}");
        assertThat(noImage.status()).isEqualTo(400);
        assertThat(noImage.error()).contains("image");
        assertThat(client.post("/v1/apps/" + app + "/machines", "{not json").status())
                .isEqualTo(400);
        assertThat(client.get("/v1/apps/nope-" + UUID.randomUUID()).status()).isEqualTo(404);
    }
}
