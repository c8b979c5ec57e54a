package com.employable.flotilla.health.monitor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's stand-in for thousands of team servers: one selector thread answering just enough MCP over
 * HTTP/1.1 keep-alive (initialize with a session id, the initialized notification, tools/list or ping, DELETE), so
 * the machine's CPU goes to the prober being measured rather than to the fake fleet. Not an HTTP server: it trusts
 * its one client (Content-Length bodies, no chunking, no pipelining).
 */
final class LightMcpResponder implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\"[^\"]*\"|[0-9]+)");
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread loop;

    LightMcpResponder() throws IOException {
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        loop = new Thread(this::serve, "responder");
        loop.setDaemon(true);
        loop.start();
    }

    int port() throws IOException {
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    private void serve() {
        while (selector.isOpen()) {
            try {
                selector.select();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        SocketChannel channel = server.accept();
                        if (channel != null) {
                            channel.configureBlocking(false);
                            channel.register(selector, SelectionKey.OP_READ, new Connection());
                        }
                    } else if (key.isReadable()) {
                        read(key);
                    }
                }
            } catch (IOException | java.nio.channels.ClosedSelectorException closed) {
                return;
            }
        }
    }

    private static final class Connection {
        ByteBuffer in = ByteBuffer.allocate(8192);
    }

    private void read(SelectionKey key) {
        SocketChannel channel = (SocketChannel) key.channel();
        Connection connection = (Connection) key.attachment();
        try {
            if (channel.read(connection.in) < 0) {
                key.cancel();
                channel.close();
                return;
            }
            while (answerOne(channel, connection)) {
                // a client may have sent its next request already
            }
        } catch (IOException gone) {
            key.cancel();
            try {
                channel.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** @return whether a whole request was in the buffer and was answered */
    private boolean answerOne(SocketChannel channel, Connection connection) throws IOException {
        ByteBuffer in = connection.in;
        int headerEnd = indexOf(in.array(), in.position(), HEADER_END);
        if (headerEnd < 0) {
            return false;
        }
        String head = new String(in.array(), 0, headerEnd, StandardCharsets.ISO_8859_1);
        int contentLength = 0;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                contentLength = Integer.parseInt(line.substring(15).trim());
            }
        }
        int total = headerEnd + 4 + contentLength;
        if (in.position() < total) {
            return false;
        }
        String body = new String(in.array(), headerEnd + 4, contentLength, StandardCharsets.UTF_8);
        channel.write(ByteBuffer.wrap(response(head, body)));
        // keep what follows this request
        int rest = in.position() - total;
        System.arraycopy(in.array(), total, in.array(), 0, rest);
        in.position(rest);
        return true;
    }

    private static byte[] response(String head, String body) {
        if (head.startsWith("DELETE")) {
            return "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        }
        Matcher id = ID.matcher(body);
        if (!id.find()) {
            return "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        }
        boolean initialize = body.contains("\"initialize\"");
        String result = initialize
                ? "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"tools\":{}},"
                        + "\"serverInfo\":{\"name\":\"bench\",\"version\":\"1\"}}"
                : body.contains("\"ping\"")
                        ? "{}"
                        : "{\"tools\":[{\"name\":\"team_info\",\"inputSchema\":{\"type\":\"object\"}}]}";
        byte[] json = ("{\"jsonrpc\":\"2.0\",\"id\":" + id.group(1) + ",\"result\":" + result + "}")
                .getBytes(StandardCharsets.UTF_8);
        String session = initialize ? "Mcp-Session-Id: " + UUID.randomUUID() + "\r\n" : "";
        byte[] headers = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + session + "Content-Length: "
                        + json.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[headers.length + json.length];
        System.arraycopy(headers, 0, out, 0, headers.length);
        System.arraycopy(json, 0, out, headers.length, json.length);
        return out;
    }

    private static int indexOf(byte[] data, int limit, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= limit; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        selector.close();
        server.close();
        loop.interrupt();
    }
}
