package com.employable.flotilla.health.probe;

import com.employable.flotilla.health.targets.ProbeTarget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * The {@code fly-checks} address mode: a probe never connects to the team's machine. It reads the machine's
 * {@code mcp} check, which flyd runs next to the machine while it runs (the team server's MCP-level self-check at
 * {@code /healthz/mcp}), through the Fly Machines API, and hands its status to the same verdicts as the other modes.
 * Nothing of it is Fly Proxy traffic and nothing reaches the team's private network, which on Fly is its own: the mode
 * that works there.
 *
 * <p>A probe lists the team's app ({@link FlyMachines}: paced per app, shared by the app's machines) and reads the
 * machine's check ({@link CheckReadings}); whatever keeps it from a fresh reading is an inconclusive result, which no
 * verdict counts.
 */
public final class FlyChecksProbe implements Prober {

    private static final Duration FORGET_AFTER = Duration.ofMinutes(10);

    private final FlyMachines machines;

    private final CheckReadings readings;

    private final Clock clock;

    private final AtomicLong probes = new AtomicLong();

    FlyChecksProbe(FlyMachines machines, CheckReadings readings, Clock clock) {
        this.machines = machines;
        this.readings = readings;
        this.clock = clock;
    }

    /**
     * @throws IllegalStateException when no Fly token is configured: the mode cannot read anything without one
     */
    public static FlyChecksProbe create(
            FlyChecksProperties fly, ProbeProperties probe, ExecutorService threads, Clock clock) {
        if (fly.token() == null || fly.token().isBlank()) {
            throw new IllegalStateException(
                    "FLY_API_TOKEN (flotilla.health.fly.token) is required with FLOTILLA_HEALTH_PROBE_ADDRESS=fly-checks:"
                            + " a token that may read the team apps' machines");
        }
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(probe.connectTimeout())
                .callTimeout(probe.requestTimeout())
                .followRedirects(false)
                .followSslRedirects(false)
                .connectionPool(new ConnectionPool(8, 1, TimeUnit.MINUTES))
                .build();
        return new FlyChecksProbe(new FlyMachines(http, threads, fly, clock), new CheckReadings(fly.check()), clock);
    }

    @Override
    public CompletableFuture<ProbeResult> probe(ProbeTarget target) {
        Instant checkedAt = clock.instant();
        if (probes.incrementAndGet() % 1024 == 0) {
            readings.forgetOlderThan(checkedAt.minus(FORGET_AFTER));
            machines.forgetIdle(FORGET_AFTER.toNanos());
        }
        if (target.app() == null) {
            return CompletableFuture.completedFuture(
                    ProbeResult.inconclusive(checkedAt, 0, "no app is known for this machine"));
        }
        return machines.startedMachines(target.app())
                .thenApply(listing -> listing.problem() != null
                        ? ProbeResult.inconclusive(checkedAt, 0, listing.problem())
                        : readings.read(target, listing.machines(), listing.fetchedAt(), checkedAt))
                .exceptionally(unreadable -> ProbeResult.inconclusive(
                        checkedAt,
                        0,
                        "the listing could not be read: "
                                + unreadable.getClass().getSimpleName()));
    }
}
