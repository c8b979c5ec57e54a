package com.employable.flotilla.localfly.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proxy's own HTTP/1.1 client to machines: connection reuse, and how an answer's body is framed. */
class MachineConnectionsTest {

    @Test
    void aPooledConnectionIsReusedWhileOpenAndDroppedOnceTheMachineClosedIt() throws Exception {
        try (var server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                var pool = new MachineConnections()) {
            int port = server.getLocalPort();
            MachineConnection first = pool.acquire(port);
            try (Socket accepted = server.accept()) {
                pool.release(first);
                MachineConnection again = pool.acquire(port);
                assertThat(again).isSameAs(first);
                assertThat(again.reused).isTrue();
                pool.release(again);
            }
            // the machine closed its end (it stopped, restarted, or timed the connection out)
            await().atMost(Duration.ofSeconds(5)).until(() -> !first.stillOpen());
            pool.release(first);
            MachineConnection next = pool.acquire(port);
            assertThat(next).isNotSameAs(first);
            assertThat(next.reused).isFalse();
            next.close();
        }
    }

    @Test
    void aChunkedAnswerIsDecodedToItsEndAndTheConnectionServesTheNextOne() throws Exception {
        try (var server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            MachineConnection connection = MachineConnection.open(server.getLocalPort());
            try (Socket machine = server.accept()) {
                connection.writeHead("GET", "/events", List.<String[]>of(new String[] {"Accept", "text/event-stream"}));
                connection.out.flush();
                machine.getOutputStream()
                        .write(
                                ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n"
                                                + "HTTP/1.1 204 No Content\r\n\r\n")
                                        .getBytes(StandardCharsets.ISO_8859_1));

                var head = connection.readHead("GET");
                assertThat(head.status()).isEqualTo(200);
                assertThat(head.chunked()).isTrue();
                assertThat(head.keepAlive()).isTrue();
                var body = new MachineBody(connection, head);
                assertThat(readAll(body)).isEqualTo("hello world");
                assertThat(body.complete()).isTrue();

                var next = connection.readHead("GET");
                assertThat(next.status()).isEqualTo(204);
                assertThat(new MachineBody(connection, next).complete()).isTrue();
            } finally {
                connection.close();
            }
        }
    }

    private static String readAll(MachineBody body) throws IOException {
        var out = new ByteArrayOutputStream();
        byte[] buffer = new byte[3];
        int read;
        while ((read = body.read(buffer, 0, buffer.length)) >= 0) {
            out.write(buffer, 0, read);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
