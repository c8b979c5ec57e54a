package com.employable.flotilla.localfly.proxy;

import java.io.IOException;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive connections to machines, by port, most recently used first. One that idled longer than a machine's
 * server would keep it, or that the machine closed (it stopped, restarted, or timed the connection out), is closed
 * instead of reused.
 */
final class MachineConnections implements AutoCloseable {

    /** Below Tomcat's 20 s and up, and the JDK server's 30 s. */
    private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(15);

    private static final int MAX_IDLE_PER_PORT = 64;

    private final Map<Integer, Deque<MachineConnection>> idle = new ConcurrentHashMap<>();

    /** An idle connection to the port if one is fresh enough, else a new one. */
    MachineConnection acquire(int port) throws IOException {
        Deque<MachineConnection> pooled = idle.get(port);
        if (pooled != null) {
            long now = System.nanoTime();
            for (MachineConnection connection = pooled.pollFirst();
                    connection != null;
                    connection = pooled.pollFirst()) {
                if (now - connection.idleSinceNanos < MAX_IDLE_NANOS && connection.stillOpen()) {
                    connection.reused = true;
                    return connection;
                }
                connection.close();
            }
        }
        return MachineConnection.open(port);
    }

    /** Back to the pool, ready for the next exchange. */
    void release(MachineConnection connection) {
        Deque<MachineConnection> pooled = idle.computeIfAbsent(connection.port, port -> new ConcurrentLinkedDeque<>());
        connection.idleSinceNanos = System.nanoTime();
        pooled.offerFirst(connection);
        if (pooled.size() > MAX_IDLE_PER_PORT) {
            MachineConnection oldest = pooled.pollLast();
            if (oldest != null) {
                oldest.close();
            }
        }
    }

    @Override
    public void close() {
        idle.values().forEach(pooled -> pooled.forEach(MachineConnection::close));
        idle.clear();
    }
}
