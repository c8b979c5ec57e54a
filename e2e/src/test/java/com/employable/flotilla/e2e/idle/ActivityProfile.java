package com.employable.flotilla.e2e.idle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * When each team's agents work, drawn from a seed so a run can be repeated: bursts of MCP calls separated by quiet
 * gaps. A burst opens a session and makes {@code calls} tool calls, one every {@code spacing}; the gap after it is
 * exponential with the given mean, at least {@code minGap}. With a 30 s idle window and a mean gap of a few minutes
 * most of a team's time is idle, as employable's teams are between tasks.
 *
 * @param meanGap mean quiet time between two bursts of one team
 * @param minGap shortest quiet time
 * @param minCalls fewest calls in a burst
 * @param maxCalls most calls in a burst
 * @param spacing time between two calls of a burst
 */
public record ActivityProfile(Duration meanGap, Duration minGap, int minCalls, int maxCalls, Duration spacing) {

    /** The profile the README reports: bursts of 3-12 calls 2 s apart, quiet gaps of 150 s on average (at least 10 s). */
    public static ActivityProfile standard() {
        return new ActivityProfile(Duration.ofSeconds(150), Duration.ofSeconds(10), 3, 12, Duration.ofSeconds(2));
    }

    /** A burst: when it starts (from the run's start) and how many calls it makes. */
    public record Burst(Duration start, int calls) {}

    /** The bursts of one team over the run; the first starts after a gap too, so teams do not start in step. */
    public List<Burst> bursts(Random random, Duration run) {
        List<Burst> bursts = new ArrayList<>();
        long at = gapMillis(random);
        while (at < run.toMillis()) {
            int calls = minCalls + random.nextInt(maxCalls - minCalls + 1);
            bursts.add(new Burst(Duration.ofMillis(at), calls));
            at += calls * spacing.toMillis() + gapMillis(random);
        }
        return bursts;
    }

    private long gapMillis(Random random) {
        double exponential = -Math.log(1 - random.nextDouble()) * meanGap.toMillis();
        return Math.max(minGap.toMillis(), (long) exponential);
    }
}
