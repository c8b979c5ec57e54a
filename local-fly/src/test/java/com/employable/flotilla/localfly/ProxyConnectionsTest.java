package com.employable.flotilla.localfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connections around the proxy: a request body reaches the machine as the client sends it, and local-fly never
 * closes an idle keep-alive connection under a client that may be reusing it (the pooled-connection 502).
 */
class ProxyConnectionsTest {

    @TempDir
    static Path dataDir;

    private static LocalFly fly;
    private static String app;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = java + " -cp " + System.getProperty("java.class.path") + " " + EchoServerMain.class.getName();
        fly = LocalFly.start(LocalFlyConfig.simulated(dataDir)
                .withRuntime("process", Optional.empty(), "registry.fly.io/echo=" + command));
        var client = new FlyClient(fly.apiUrl(), fly.token());
        app = "uploads";
        client.post("/v1/apps", "{\"app_name\":\"" + app + "\",\"org_slug\":\"personal\"}");
        String id = client.post(
                        "/v1/apps/" + app + "/machines",
                        "{\"region\":\"iad\",\"config\":{\"image\":\"registry.fly.io/echo:1\"}}")
                .body()
                .path("id")
                .asString();
        assertThat(client.get("/v1/apps/" + app + "/machines/" + id + "/wait?state=started&timeout=60")
                        .status())
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        fly.close();
    }

    private static String uploaded() throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(fly.proxyUrl() + "/" + app + "/uploaded"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void aRequestBodyIsStreamedToTheMachineAsItArrives() throws Exception {
        for (boolean chunked : new boolean[] {false, true}) {
            try (Socket socket = socket(fly.proxyUrl())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /" + app + "/upload HTTP/1.1\r\nHost: localhost\r\n"
                                + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: 10\r\n") + "\r\n"
                                + (chunked ? "5\r\nhello\r\n" : "hello"))
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();

                // the machine has the first half while the client still holds the second
                await().atMost(Duration.ofSeconds(10)).until(() -> uploaded().equals("5"));

                out.write((chunked ? "5\r\nworld\r\n0\r\n\r\n" : "world").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(response(socket.getInputStream()))
                        .startsWith("HTTP/1.1 200")
                        .endsWith("10");
            }
        }
    }

    @Test
    void idleKeepAliveConnectionsStayOpenForTheirClientsToReuse() throws Exception {
        for (String base : List.of(fly.proxyUrl(), fly.apiUrl())) {
            String path = base.equals(fly.apiUrl()) ? "/healthz" : "/no-such-app/x";
            // more idle connections at once than the JDK server kept (200): it closed the others silently, under
            // clients that had just pooled them
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 250; i++) {
                    Socket socket = socket(base);
                    sockets.add(socket);
                    assertThat(exchange(socket, path)).startsWith("HTTP/1.1");
                }
                int reused = 0;
                for (Socket socket : sockets) {
                    if (exchange(socket, path).startsWith("HTTP/1.1")) {
                        reused++;
                    }
                }
                assertThat(reused)
                        .as("connections answering their second request")
                        .isEqualTo(250);
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    private static Socket socket(String baseUrl) throws IOException {
        URI uri = URI.create(baseUrl);
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** One keep-alive request; the answer, or "" when the server had closed the connection. */
    private static String exchange(Socket socket, String path) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return response(socket.getInputStream());
        } catch (IOException closed) {
            return "";
        }
    }

    /** Reads one response with a Content-Length body: status line, headers, body. */
    private static String response(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString(StandardCharsets.US_ASCII);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
