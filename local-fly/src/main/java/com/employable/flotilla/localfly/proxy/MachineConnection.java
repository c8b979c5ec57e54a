package com.employable.flotilla.localfly.proxy;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.1 connection to a machine's loopback port, used by one exchange at a time: the request head is written
 * into a buffer that leaves with the body's first bytes, and the answer's head is parsed here. Blocking, on the thread
 * that handles the client's exchange: no hand-off between threads anywhere on the way.
 */
final class MachineConnection implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private static final int MAX_HEAD_LINE = 64 * 1024;

    final int port;

    final InputStream in;

    final OutputStream out;

    private final SocketChannel channel;

    private final ByteBuffer probe = ByteBuffer.allocate(1);

    /** Whether it served an exchange before: a server may have closed it while it idled. */
    boolean reused;

    long idleSinceNanos;

    private MachineConnection(int port, SocketChannel channel) throws IOException {
        this.port = port;
        this.channel = channel;
        this.in = new BufferedInputStream(channel.socket().getInputStream(), 8192);
        this.out = new BufferedOutputStream(channel.socket().getOutputStream(), 8192);
    }

    static MachineConnection open(int port) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().setTcpNoDelay(true);
            channel.socket().connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MILLIS);
        } catch (SocketTimeoutException e) {
            channel.close();
            throw new ConnectException("connect timed out");
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new MachineConnection(port, channel);
    }

    /**
     * Whether an idle connection is still open: a machine that stopped, restarted or closed it leaves it readable
     * (at its end), a live idle one has nothing to read. One non-blocking read, so a request never goes out on a
     * connection the machine had already closed (it could not be told apart from a machine that died mid-request).
     */
    boolean stillOpen() {
        try {
            channel.configureBlocking(false);
            try {
                probe.clear();
                return channel.read(probe) == 0;
            } finally {
                channel.configureBlocking(true);
            }
        } catch (IOException closed) {
            return false;
        }
    }

    /** Writes (into the buffer, not yet sent) the request line and headers, Host first. */
    void writeHead(String method, String target, List<String[]> headers) throws IOException {
        StringBuilder head = new StringBuilder(256)
                .append(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                .append(port)
                .append("\r\n");
        for (String[] header : headers) {
            head.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** The answer's status and headers (interim 1xx answers skipped). */
    ResponseHead readHead(String method) throws IOException {
        while (true) {
            String status = line(true);
            if (status.length() < 12 || !status.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x answer");
            }
            int code = Integer.parseInt(status.substring(9, 12));
            List<String[]> headers = new ArrayList<>();
            for (String line = line(false); !line.isEmpty(); line = line(false)) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed header line");
                }
                headers.add(new String[] {
                    line.substring(0, colon).trim(), line.substring(colon + 1).trim()
                });
            }
            if (code >= 100 && code < 200 && code != 101) {
                continue;
            }
            return ResponseHead.of(code, headers, method, status.startsWith("HTTP/1.0"));
        }
    }

    /** A CRLF-ended line in ISO-8859-1, without its end. */
    String line(boolean first) throws IOException {
        StringBuilder line = new StringBuilder(64);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                // nothing at all where an answer was due: the server closed the connection (a stale one, if reused)
                throw first && line.isEmpty() ? new EOFException("no answer") : new EOFException("answer cut short");
            }
            if (line.length() > MAX_HEAD_LINE) {
                throw new IOException("header line too long");
            }
            line.append((char) b);
        }
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** The answer's head, and how its body is framed. */
    record ResponseHead(int status, List<String[]> headers, long length, boolean chunked, boolean keepAlive) {

        /** No body at all. */
        static final long NONE = 0;

        /** A body that ends when the connection does. */
        static final long UNTIL_CLOSE = -1;

        static ResponseHead of(int status, List<String[]> headers, String method, boolean http10) {
            long length = UNTIL_CLOSE;
            boolean chunked = false;
            boolean keepAlive = !http10;
            for (String[] header : headers) {
                String name = header[0].toLowerCase(Locale.ROOT);
                if (name.equals("transfer-encoding")) {
                    chunked = header[1].toLowerCase(Locale.ROOT).endsWith("chunked");
                } else if (name.equals("content-length")) {
                    length = Long.parseLong(header[1]);
                } else if (name.equals("connection")) {
                    String value = header[1].toLowerCase(Locale.ROOT);
                    keepAlive = value.contains("keep-alive") || (!http10 && !value.contains("close"));
                }
            }
            if ("HEAD".equals(method) || status == 204 || status == 304) {
                return new ResponseHead(status, headers, NONE, false, keepAlive);
            }
            if (chunked) {
                return new ResponseHead(status, headers, UNTIL_CLOSE, true, keepAlive);
            }
            return new ResponseHead(status, headers, length, false, keepAlive && length >= 0);
        }
    }
}
