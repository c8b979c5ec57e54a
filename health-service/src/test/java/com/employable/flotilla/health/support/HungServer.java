package com.employable.flotilla.health.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Accepts TCP connections and never answers: a server that is up but hung. */
public final class HungServer implements AutoCloseable {

    private final ServerSocket socket;

    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    private final Thread acceptor;

    private HungServer() throws IOException {
        socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptForever, "hung-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static HungServer start() {
        try {
            return new HungServer();
        } catch (IOException failure) {
            throw new IllegalStateException(failure);
        }
    }

    public String endpoint(String teamId) {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/teams/" + teamId + "/mcp";
    }

    public int accepted() {
        return accepted.size();
    }

    /** Connections the client has not closed yet (a read returns -1 once the peer closed). */
    public long stillOpen() {
        return accepted.stream()
                .filter(s -> {
                    try {
                        s.setSoTimeout(1);
                        return s.getInputStream().read(new byte[4096]) != -1;
                    } catch (java.net.SocketTimeoutException open) {
                        return true;
                    } catch (IOException closed) {
                        return false;
                    }
                })
                .count();
    }

    private void acceptForever() {
        while (!socket.isClosed()) {
            try {
                accepted.add(socket.accept());
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        } catch (IOException ignored) {
            // closing test sockets
        }
    }
}
