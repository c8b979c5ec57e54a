package com.employable.flotilla.devstack.trial;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Removes what the trial made, once, whether the trial finished, failed or was interrupted (it runs from a shutdown
 * hook too): {@code team.deleted} for every team it announced, then waits, bounded, until Fly no longer has their
 * apps. What is still there at the end is reported by name, so nobody pays for a forgotten app.
 */
public final class Teardown {

    /** What the teardown did: how long until every app was gone, and what was left behind. */
    public record Result(long appsGoneMs, List<String> leftBehind, List<String> failures) {}

    interface Deletes {
        void deleted(String team) throws InterruptedException;
    }

    interface Apps {
        boolean exists(String app) throws InterruptedException;
    }

    private final Map<String, String> appsByTeam = new LinkedHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Deletes deletes;
    private final Apps apps;
    private final Duration within;
    private final PrintStream out;
    private volatile Result result;

    Teardown(Deletes deletes, Apps apps, Duration within, PrintStream out) {
        this.deletes = deletes;
        this.apps = apps;
        this.within = within;
        this.out = out;
    }

    /** Before its create is published: a team announced is a team torn down. */
    synchronized void track(String team, String app) {
        appsByTeam.put(team, app);
    }

    /** The app the provisioner reported, once known (a warm-pool app instead of the team's own). */
    synchronized void appIs(String team, String app) {
        appsByTeam.computeIfPresent(team, (t, previous) -> app);
    }

    /**
     * Tears down once; a later or concurrent call (the shutdown hook while the trial is tearing down) waits for the
     * first and returns its result, so the JVM does not exit halfway through.
     */
    Result run() throws InterruptedException {
        if (!started.compareAndSet(false, true)) {
            finished.await();
            return result;
        }
        try {
            result = tearDown();
        } finally {
            finished.countDown();
        }
        return result;
    }

    private Result tearDown() throws InterruptedException {
        Map<String, String> teams;
        synchronized (this) {
            teams = new LinkedHashMap<>(appsByTeam);
        }
        List<String> failures = new ArrayList<>();
        for (String team : teams.keySet()) {
            try {
                deletes.deleted(team);
            } catch (RuntimeException e) {
                failures.add("team.deleted for " + team + ": " + e.getMessage());
            }
        }
        out.printf(
                "  teardown: published team.deleted for %d team(s); waiting for their apps to be gone%n", teams.size());
        long started = System.nanoTime();
        Instant deadline = Instant.now().plus(within);
        List<String> remaining = new ArrayList<>(teams.values());
        while (!remaining.isEmpty() && Instant.now().isBefore(deadline)) {
            List<String> gone = new ArrayList<>();
            for (String app : remaining) {
                try {
                    if (!apps.exists(app)) {
                        gone.add(app);
                    }
                } catch (RuntimeException e) {
                    // asked again on the next round; reported if it never answers
                }
            }
            remaining.removeAll(gone);
            if (!remaining.isEmpty()) {
                Thread.sleep(500);
            }
        }
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        if (remaining.isEmpty()) {
            out.printf("  teardown: every app gone after %.1f s%n", tookMs / 1000.0);
        } else {
            out.printf("  teardown: STILL PRESENT after %d s, remove by hand: %s%n", within.toSeconds(), remaining);
        }
        return new Result(tookMs, List.copyOf(remaining), List.copyOf(failures));
    }
}
