package com.employable.flotilla.teammcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.teammcp.support.AuthorizingProxy;
import com.employable.flotilla.teammcp.support.NodeTools;
import com.employable.flotilla.teammcp.support.RunningServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official MCP conformance suite (server mode) and the MCP Inspector CLI against a real team server. The suite
 * sends no credentials, so it reaches the server through a proxy that adds the team's gateway token, as the gateway
 * does. Scenarios that need the suite's fixture tools (test_*, resources, prompts) are baselined: a team server does
 * not serve them, and the suite's stale-baseline rule fails the run if one of them starts passing.
 */
class ConformanceIT {

    private static Path tools;
    private static RunningServer server;
    private static AuthorizingProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        tools = NodeTools.toolsDir();
        server = RunningServer.start("conformance", null, null);
        proxy = new AuthorizingProxy(server.baseUri(), server.gatewayToken());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void passesTheConformanceSuiteExceptTheFixtureScenarios() throws Exception {
        Path baseline = Path.of(System.getProperty("flotilla.module.dir", "."))
                .resolve("src/test/resources/conformance-baseline.yml");
        Path output = Files.createDirectories(Path.of("target/conformance"));
        Result result = run(
                List.of(
                        NodeTools.node(tools).toString(),
                        NodeTools.packageFile(tools, "@modelcontextprotocol/conformance", "dist/index.js")
                                .toString(),
                        "server",
                        "--url",
                        "http://localhost:" + proxy.port() + "/mcp",
                        "--expected-failures",
                        baseline.toString(),
                        "-o",
                        output.toString()),
                240);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("server-initialize").contains("dns-rebinding-protection");
    }

    @Test
    void theInspectorCliCallsATool() throws Exception {
        // a fresh token: the first may have expired while the suite ran on a slow machine
        Result result = run(
                List.of(
                        NodeTools.node(tools).toString(),
                        NodeTools.packageFile(
                                        tools, "@modelcontextprotocol/inspector", "clients/launcher/build/index.js")
                                .toString(),
                        "--cli",
                        server.mcpUri().toString(),
                        "--transport",
                        "http",
                        "--method",
                        "tools/call",
                        "--tool-name",
                        "team_info",
                        "--header",
                        "Authorization: Bearer " + server.gatewayToken()),
                120);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("\"teamId\"").contains("conformance");
    }

    @Test
    void theInspectorCliWithoutATokenIsToldToAuthenticate() throws Exception {
        Result result = run(
                List.of(
                        NodeTools.node(tools).toString(),
                        NodeTools.packageFile(
                                        tools, "@modelcontextprotocol/inspector", "clients/launcher/build/index.js")
                                .toString(),
                        "--cli",
                        server.mcpUri().toString(),
                        "--transport",
                        "http",
                        "--method",
                        "tools/list"),
                120);
        // the Inspector's documented exit code for an OAuth challenge
        assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
    }

    private record Result(int exitCode, String output) {}

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("node-tool", ".log");
        var builder = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Path home = Files.createDirectories(Path.of("target/node-home").toAbsolutePath());
        // the Inspector keeps state under HOME; keep it inside the build
        builder.environment().put("HOME", home.toString());
        builder.environment().put("PATH", NodeTools.node(tools).getParent() + ":" + System.getenv("PATH"));
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command.get(1) + "\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
