package com.employable.flotilla.localfly;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Replays Fly's documented example requests and compares local-fly's answers with Fly's example responses
 * (src/test/resources/fly-fixtures, from Fly's docs): every field Fly shows is there, with the same JSON type.
 */
class FixturesContractTest {

    @TempDir
    static Path dataDir;

    private static LocalFly fly;
    private static FlyClient client;

    @BeforeAll
    static void start() throws Exception {
        fly = LocalFly.start(LocalFlyConfig.simulated(dataDir));
        client = new FlyClient(fly.apiUrl(), fly.token());
        client.post("/v1/apps", "{\"app_name\":\"fixture-app\",\"org_slug\":\"personal\"}");
    }

    @AfterAll
    static void stop() {
        fly.close();
    }

    private static JsonNode fixture(String name) throws IOException {
        Path dir = Path.of(System.getProperty("flotilla.fixtures.dir", "src/test/resources/fly-fixtures"));
        return FlyClient.JSON.readTree(Files.readString(dir.resolve(name)));
    }

    /** Every field of {@code expected} exists in {@code actual} with the same JSON node type (recursively). */
    private static void assertSameShape(String where, JsonNode expected, JsonNode actual) {
        if (expected.isObject()) {
            assertThat(actual.isObject()).as(where + " is an object").isTrue();
            for (Iterator<Map.Entry<String, JsonNode>> fields =
                            expected.properties().iterator();
                    fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String path = where + "." + field.getKey();
                // free-form maps (labels, env, metadata) and optional nested config are not shape
                if (path.endsWith(".labels") || path.contains(".config.")) {
                    continue;
                }
                assertThat(actual.has(field.getKey())).as(path + " present").isTrue();
                if (!field.getValue().isNull() && !actual.get(field.getKey()).isNull()) {
                    assertSameShape(path, field.getValue(), actual.get(field.getKey()));
                }
            }
        } else if (expected.isArray()) {
            assertThat(actual.isArray()).as(where + " is an array").isTrue();
            if (!expected.isEmpty() && !actual.isEmpty()) {
                assertSameShape(where + "[0]", expected.get(0), actual.get(0));
            }
        } else {
            assertThat(actual.getNodeType()).as(where + " type").isEqualTo(expected.getNodeType());
        }
    }

    @Test
    void createMachineAnswersLikeFly() throws IOException {
        JsonNode example = fixture("machines_create_resp.json");
        JsonNode created = client.post(
                        "/v1/apps/fixture-app/machines",
                        "{\"region\":\"ord\",\"config\":{\"image\":"
                                + "\"registry-1.docker.io/library/ubuntu:latest\",\"auto_destroy\":true,\"restart\":{\"policy\":"
                                + "\"always\"},\"guest\":{\"cpu_kind\":\"shared\",\"cpus\":1,\"memory_mb\":256}}}")
                .body();
        assertSameShape("machine", example, created);
        assertThat(created.path("config"))
                .isEqualTo(FlyClient.JSON.readTree("{\"image\":"
                        + "\"registry-1.docker.io/library/ubuntu:latest\",\"auto_destroy\":true,\"restart\":{\"policy\":"
                        + "\"always\"},\"guest\":{\"cpu_kind\":\"shared\",\"cpus\":1,\"memory_mb\":256}}"));
        assertThat(created.path("image_ref").path("repository").asString()).isEqualTo("library/ubuntu");
        assertThat(created.path("id").asString()).hasSize(14);
        assertThat(created.path("instance_id").asString()).hasSize(26);
    }

    @Test
    void createWithServicesAndUpdateAnswerLikeFly() throws IOException {
        JsonNode example = fixture("machines_create_serv_resp.json");
        String config = FlyClient.JSON.writeValueAsString(example.path("config"));
        JsonNode created = client.post(
                        "/v1/apps/fixture-app/machines", "{\"region\":\"iad\",\"config\":" + config + "}")
                .body();
        assertSameShape("machine", example, created);
        assertThat(created.path("config").path("services"))
                .isEqualTo(example.path("config").path("services"));

        JsonNode update = fixture("machines_update_resp.json");
        client.get("/v1/apps/fixture-app/machines/" + created.path("id").asString() + "/wait?state=started&timeout=10");
        JsonNode updated = client.post(
                        "/v1/apps/fixture-app/machines/" + created.path("id").asString(),
                        "{\"config\":" + FlyClient.JSON.writeValueAsString(update.path("config")) + "}")
                .body();
        assertSameShape("updated", update, updated);
    }

    @Test
    void leaseAndStartAnswerLikeFly() throws IOException {
        String id = client.post(
                        "/v1/apps/fixture-app/machines", "{\"skip_launch\":true,\"config\":{\"image\":" + "\"nginx\"}}")
                .body()
                .path("id")
                .asString();
        JsonNode lease = client.post("/v1/apps/fixture-app/machines/" + id + "/lease", "{\"ttl\":500}")
                .body();
        assertSameShape("lease", fixture("machines_lease_create_resp.json"), lease);
        String nonce = lease.path("data").path("nonce").asString();
        JsonNode started = client.send("POST", "/v1/apps/fixture-app/machines/" + id + "/start", null, nonce)
                .body();
        assertSameShape("start", fixture("machines_start_resp.json"), started);
    }
}
