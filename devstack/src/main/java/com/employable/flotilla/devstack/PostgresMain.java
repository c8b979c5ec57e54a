package com.employable.flotilla.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an embedded PostgreSQL as its own process so that {@code ./flotilla down} can stop it like any other
 * component. Data survives restarts; the JVM's shutdown hook stops the server cleanly on SIGTERM.
 */
public final class PostgresMain {

    private PostgresMain() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (Exception e) {
                System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }));
        System.out.println("PostgreSQL ready on 127.0.0.1:" + port);
        stopped.await();
    }
}
