package com.employable.flotilla.localfly;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.localfly.FlyClient.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the route table answers over HTTP: Fly's error body for unknown paths and methods. */
class FlyApiRoutingTest {

    @TempDir
    static Path dataDir;

    private static LocalFly fly;
    private static FlyClient client;

    @BeforeAll
    static void start() throws Exception {
        fly = LocalFly.start(LocalFlyConfig.simulated(dataDir));
        client = new FlyClient(fly.apiUrl(), fly.token());
        client.post("/v1/apps", "{\"app_name\":\"routed\",\"org_slug\":\"personal\"}");
    }

    @AfterAll
    static void stop() {
        fly.close();
    }

    @Test
    void aPathParameterReachesTheHandlerDecoded() {
        Reply reply = client.get("/v1/apps/rout%65d");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().path("name").asString()).isEqualTo("routed");
    }

    @Test
    void anUnknownPathIs404WithFlysErrorBody() {
        Reply reply = client.get("/v1/apps/routed/volumes");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.error()).isEqualTo("unknown endpoint /v1/apps/routed/volumes");
        assertThat(reply.body().properties()).hasSize(1);
    }

    @Test
    void aKnownPathWithAnotherMethodIs405WithFlysErrorBody() {
        Reply reply = client.send("PUT", "/v1/apps/routed", "{}", null);

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.error()).isEqualTo("method not allowed");
    }

    @Test
    void theAdminApiAnswers404ForAnUnknownEndpointAndNeedsNoToken() {
        FlyClient admin = new FlyClient(fly.apiUrl(), null);

        assertThat(admin.get("/_admin/capacity").status()).isEqualTo(200);
        Reply unknown = admin.send("PUT", "/_admin/capacity", "{}", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("unknown admin endpoint PUT /_admin/capacity");
    }
}
