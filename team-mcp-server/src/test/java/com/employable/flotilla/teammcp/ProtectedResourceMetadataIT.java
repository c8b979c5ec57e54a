package com.employable.flotilla.teammcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.teammcp.support.RawHttp;
import com.employable.flotilla.teammcp.support.RunningServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Audit finding 10b: without a configured resource URL the RFC 9728 document and the 401 challenge were built from
 * the request's Host header (and the document was cacheable), so a forged Host pointed clients elsewhere. Both now
 * come from configuration only.
 */
class ProtectedResourceMetadataIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> FORGED =
            Map.of("Host", "evil.example:8443", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example");

    @Test
    void aForgedHostNeverReachesTheMetadataWhenNothingIsConfigured() throws Exception {
        try (RunningServer server = RunningServer.start("alpha", null, null)) {
            String loopback = "http://localhost:" + server.port();
            for (String path :
                    new String[] {"/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"
                    }) {
                RawHttp.Response metadata = RawHttp.get(server.port(), path, FORGED);
                assertThat(metadata.status()).as(path).isEqualTo(200);
                assertThat(metadata.body()).as(path).doesNotContain("evil");
                assertThat(JSON.readTree(metadata.body()).path("resource").asString())
                        .isEqualTo(loopback + "/mcp");
                // a default that is right only on this machine is never kept by a cache
                assertThat(metadata.header("Cache-Control")).contains("no-store");
            }
            RawHttp.Response challenge = RawHttp.post(server.port(), "/mcp", FORGED, CanonicalPathIT.initializeBody());
            assertThat(challenge.status()).isEqualTo(401);
            assertThat(challenge.header("WWW-Authenticate"))
                    .hasValue("Bearer resource_metadata=\"" + loopback + "/.well-known/oauth-protected-resource/mcp\"");
        }
    }

    @Test
    void theConfiguredResourceUrlIsTheOnlySource() throws Exception {
        try (RunningServer server = RunningServer.start(
                "alpha", null, null, Map.of(ServerConfig.RESOURCE_URL, "https://flotilla-team-alpha.fly.dev/mcp"))) {
            RawHttp.Response metadata = RawHttp.get(server.port(), "/.well-known/oauth-protected-resource/mcp", FORGED);
            assertThat(metadata.status()).isEqualTo(200);
            assertThat(JSON.readTree(metadata.body()).path("resource").asString())
                    .isEqualTo("https://flotilla-team-alpha.fly.dev/mcp");
            assertThat(metadata.body()).doesNotContain("evil");
            assertThat(metadata.header("Cache-Control")).hasValue("public, max-age=300");

            RawHttp.Response challenge = RawHttp.post(server.port(), "/mcp", FORGED, CanonicalPathIT.initializeBody());
            assertThat(challenge.header("WWW-Authenticate"))
                    .hasValue("Bearer resource_metadata=\""
                            + "https://flotilla-team-alpha.fly.dev/.well-known/oauth-protected-resource/mcp\"");
        }
    }
}
