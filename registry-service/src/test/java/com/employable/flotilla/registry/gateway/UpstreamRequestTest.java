package com.employable.flotilla.registry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.registry.auth.Agent;
import com.employable.flotilla.registry.auth.TeamTokens;
import com.employable.flotilla.registry.support.RegistryIntegrationTest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class UpstreamRequestTest {

    private final TeamTokens tokens =
            new TeamTokens(RegistryIntegrationTest.gatewayKey(), Duration.ofMinutes(5), Clock.systemUTC());

    private final Route route = new Route(
            "alpha",
            "flotilla-team-alpha",
            URI.create("http://alpha.test/mcp"),
            URI.create("http://alpha.test/healthz"),
            "machine-1",
            null,
            false);

    @Test
    void theAgentsCredentialsAndFlyHeadersStayBehindAndTheTeamGetsItsOwnToken() {
        var request = new MockHttpServletRequest("POST", "/alpha/mcp");
        request.addHeader("Authorization", "Bearer agent-token");
        request.addHeader("Cookie", "session=agent");
        request.addHeader("Fly-Force-Instance-Id", "someone-elses-machine");
        request.addHeader("X-Forwarded-For", "203.0.113.7");
        request.addHeader("Accept", "application/json");
        request.addHeader("Accept", "text/event-stream");
        request.setRemoteAddr("10.0.0.2");

        var upstream = UpstreamRequest.of(
                request, route, new Agent("agent-1", "alpha", false), tokens, "fly-force-instance-id");

        assertThat(upstream.method()).isEqualTo("POST");
        assertThat(upstream.headers())
                .extracting(UpstreamRequest.Header::name)
                .doesNotContain("Cookie", "Fly-Force-Instance-Id");
        assertThat(upstream.headers())
                .filteredOn(h -> h.name().equals("Accept"))
                .extracting(UpstreamRequest.Header::value)
                .containsExactly("application/json", "text/event-stream");
        assertThat(upstream.headers())
                .filteredOn(h -> h.name().equals("Authorization"))
                .singleElement()
                .extracting(UpstreamRequest.Header::value)
                .asString()
                .startsWith("Bearer ")
                .doesNotContain("agent-token");
        assertThat(upstream.headers())
                .contains(
                        new UpstreamRequest.Header("X-Forwarded-For", "203.0.113.7, 10.0.0.2"),
                        new UpstreamRequest.Header("fly-force-instance-id", "machine-1"));
        assertThat(upstream.attempt(new byte[0]).headers("Authorization"))
                .singleElement()
                .asString()
                .doesNotContain("agent-token");
    }
}
