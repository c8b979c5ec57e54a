package com.employable.flotilla.registry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.registry.support.RegistryIntegrationTest;
import com.employable.flotilla.registry.support.TestTokens;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Finding 2, gateway part: a request whose path is not canonical gets 400 with a JSON problem, before routing or
 * authentication, even with a valid token of the team it names. Sent on a raw socket, so no client normalises it.
 */
class CanonicalPathsIT extends RegistryIntegrationTest {

    private static final String TEAM = "canon-team";

    @LocalServerPort
    int port;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "//canon-team/mcp",
                "/canon-team//mcp",
                "/./canon-team/mcp",
                "/other/../canon-team/mcp",
                "/canon-team/mcp/.",
                "/canon-team/%2e/mcp",
                "/%2e%2e/canon-team/mcp",
                "/canon-team%2fmcp",
                "/canon-team%5cmcp",
                "/canon-team/mcp;jsessionid=1",
                "/canon-team;v=1/mcp",
                "/canon-team\\mcp",
                "/v1/teams/canon-team//server",
                "/v1/teams/canon-team/server;x"
            })
    void aNonCanonicalPathGets400WithAProblemBody(String path) throws Exception {
        String answer = get(path);
        assertThat(answer).as(path).startsWith("HTTP/1.1 400");
        assertThat(answer)
                .as(path)
                .containsIgnoringCase("content-type: application/problem+json")
                .contains("non-canonical-path");
    }

    private String get(String path) throws Exception {
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                            + TestTokens.forTeam(TEAM) + "\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
