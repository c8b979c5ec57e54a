package com.employable.flotilla.registry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalPathsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "//team/mcp",
                "/team//mcp",
                "/team/mcp//",
                "/./team/mcp",
                "/team/./mcp",
                "/other/../team/mcp",
                "/team/mcp/..",
                "/team/mcp/.",
                "/%2e%2e/team/mcp",
                "/team%2fmcp",
                "/team/%2E/mcp",
                "/team%5cmcp",
                "/team/mcp;jsessionid=1",
                "/team;x/mcp",
                "/team\\mcp",
                "/team/mcp%00",
                "/t\u00e9am/mcp",
                "team/mcp",
                ""
            })
    void nonCanonicalPathsAreRefused(String path) {
        assertThat(CanonicalPaths.nonCanonical(path)).as(path).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/team/mcp",
                "/team/mcp/",
                "/v1/teams/acme-sales/server",
                "/v1/servers",
                "/.well-known/oauth-protected-resource/acme/mcp",
                "/openapi.yaml",
                "/"
            })
    void canonicalPathsPass(String path) {
        assertThat(CanonicalPaths.nonCanonical(path)).as(path).isNull();
    }
}
