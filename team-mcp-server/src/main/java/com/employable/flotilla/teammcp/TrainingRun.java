package com.employable.flotilla.teammcp;

import com.employable.flotilla.teammcp.auth.CheckTokens;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

/**
 * {@code java -jar team-mcp-server.jar --train}: starts a throw-away server on loopback, holds one MCP conversation
 * with it as the gateway would (initialize, initialized, tools/list, a tool call, DELETE) and asks it for its
 * MCP self-check as Fly's machine check would, stops it and exits. Run
 * once at image build time with {@code -XX:ArchiveClassesAtExit} (AppCDS) or {@code -XX:AOTCacheOutput} (Java 25),
 * so that what a woken machine loads on its first request is already in the archive. No database: the notes tools
 * load their classes without one.
 */
final class TrainingRun {

    private static final String TEAM = "training";

    private TrainingRun() {}

    static void run() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        String probeToken = Base64.getUrlEncoder().withoutPadding().encodeToString(probe);
        ServerConfig config = ServerConfig.fromEnv(Map.of(
                ServerConfig.TEAM_ID,
                TEAM,
                ServerConfig.PORT,
                "0",
                ServerConfig.BIND,
                "127.0.0.1",
                ServerConfig.TEAM_TOKEN_KEY,
                Base64.getUrlEncoder().withoutPadding().encodeToString(key),
                ServerConfig.PROBE_TOKEN,
                probeToken));
        try (TeamMcpServerMain server = TeamMcpServerMain.start(config, Clock.systemUTC())) {
            URI mcp = URI.create("http://127.0.0.1:" + server.port() + "/mcp");
            String token = token(key);
            get(URI.create("http://127.0.0.1:" + server.port() + "/healthz"));
            String session = post(mcp, token, null, """
                    {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",
                     "capabilities":{},"clientInfo":{"name":"training","version":"1"}}}""");
            post(mcp, token, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            post(mcp, token, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}");
            post(mcp, token, session, """
                    {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"team_info","arguments":{}}}""");
            HttpURLConnection delete = open(mcp, token, session);
            delete.setRequestMethod("DELETE");
            drain(delete);
            // what Fly's machine check asks for: the self-check's own conversation with the probe token
            drain(open(
                    URI.create("http://127.0.0.1:" + server.port() + TeamMcpServerMain.MCP_CHECK_PATH),
                    CheckTokens.derive(probeToken),
                    null));
        }
    }

    private static String token(byte[] key) throws JOSEException {
        var claims = new JWTClaimsSet.Builder()
                .issuer("flotilla-gateway")
                .audience("flotilla-team:" + TEAM)
                .subject("training")
                .claim("team_id", TEAM)
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(1))))
                .build();
        var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }

    /** @return the session id the server answered with, if any */
    private static String post(URI uri, String token, String session, String body) throws IOException {
        HttpURLConnection connection = open(uri, token, session);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        connection.setRequestProperty("Accept", "application/json, text/event-stream");
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        String answered = connection.getHeaderField("Mcp-Session-Id");
        drain(connection);
        return answered != null ? answered : session;
    }

    private static void get(URI uri) throws IOException {
        drain((HttpURLConnection) uri.toURL().openConnection());
    }

    private static HttpURLConnection open(URI uri, String token, String session) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(10_000);
        connection.setRequestProperty("Authorization", "Bearer " + token);
        if (session != null) {
            connection.setRequestProperty("Mcp-Session-Id", session);
            connection.setRequestProperty("MCP-Protocol-Version", "2025-11-25");
        }
        return connection;
    }

    private static void drain(HttpURLConnection connection) throws IOException {
        int status = connection.getResponseCode();
        if (status >= 400) {
            throw new IOException("training request " + connection.getRequestMethod() + " " + connection.getURL()
                    + " answered " + status);
        }
        try (InputStream in = connection.getInputStream()) {
            in.readAllBytes();
        }
    }
}
