package com.employable.flotilla.localfly.runtime;

import java.time.Duration;
import java.util.Map;

/**
 * How long the simulated runtime takes for each move of a machine, and how long the Machines API takes to reach the
 * machine's host. Two profiles: {@code fly}, Fly's documented numbers (sources in the README's "Simulated runtime"
 * section), and {@code fast}, for tests. Each number can be overridden by its {@code LOCAL_FLY_SIM_*_MS} variable.
 *
 * @param create  first boot: {@code created} to {@code started}
 * @param start   a stopped (or failed, or restarted) machine to {@code started}
 * @param resume  a suspended machine to {@code started}
 * @param stop    {@code started} to {@code stopped}
 * @param suspend {@code started} to {@code suspended}
 * @param update  the boot that follows a config update
 * @param api     added to every mutating machine call ({@code POST}/{@code DELETE} under {@code .../machines})
 * @param exec    an exec's command, run in a started machine (a simulated machine runs nothing: the command succeeds
 *                after this long)
 */
public record SimulatedLatencies(
        Duration create,
        Duration start,
        Duration resume,
        Duration stop,
        Duration suspend,
        Duration update,
        Duration api,
        Duration exec) {

    public SimulatedLatencies {
        for (Duration latency : new Duration[] {create, start, resume, stop, suspend, update, api, exec}) {
            if (latency == null || latency.isNegative()) {
                throw new IllegalArgumentException("simulated latencies must be zero or more");
            }
        }
    }

    /** Fly's documented numbers (reference §4 and the pages it cites). */
    public static SimulatedLatencies fly() {
        return new SimulatedLatencies(
                Duration.ofMillis(2000),
                Duration.ofMillis(300),
                Duration.ofMillis(200),
                Duration.ofMillis(300),
                Duration.ofMillis(300),
                Duration.ofSeconds(20),
                Duration.ofMillis(35),
                Duration.ofMillis(1000));
    }

    /** Short, for tests: the order of Fly's (resume before start before create), none of its waiting. */
    public static SimulatedLatencies fast() {
        return new SimulatedLatencies(
                Duration.ofMillis(300),
                Duration.ofMillis(100),
                Duration.ofMillis(50),
                Duration.ofMillis(50),
                Duration.ofMillis(50),
                Duration.ofMillis(100),
                Duration.ZERO,
                Duration.ofMillis(50));
    }

    /** {@code LOCAL_FLY_SIM_PROFILE} ({@code fly} by default, or {@code fast}), then each override. */
    public static SimulatedLatencies fromEnv(Map<String, String> env) {
        String profile = env.getOrDefault("LOCAL_FLY_SIM_PROFILE", "fly");
        SimulatedLatencies base = switch (profile) {
            case "fly" -> fly();
            case "fast" -> fast();
            default -> throw new IllegalArgumentException("LOCAL_FLY_SIM_PROFILE must be fly or fast, not " + profile);
        };
        return new SimulatedLatencies(
                millis(env, "LOCAL_FLY_SIM_CREATE_MS", base.create),
                millis(env, "LOCAL_FLY_SIM_START_MS", base.start),
                millis(env, "LOCAL_FLY_SIM_RESUME_MS", base.resume),
                millis(env, "LOCAL_FLY_SIM_STOP_MS", base.stop),
                millis(env, "LOCAL_FLY_SIM_SUSPEND_MS", base.suspend),
                millis(env, "LOCAL_FLY_SIM_UPDATE_MS", base.update),
                millis(env, "LOCAL_FLY_SIM_API_MS", base.api),
                millis(env, "LOCAL_FLY_SIM_EXEC_MS", base.exec));
    }

    private static Duration millis(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Duration.ofMillis(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of milliseconds, not " + value);
        }
    }
}
