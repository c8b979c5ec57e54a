package com.employable.flotilla.health.probe;

import com.employable.flotilla.common.events.health.FailureKind;
import com.employable.flotilla.common.events.health.ProbeFailure;
import com.employable.flotilla.health.targets.ProbeTarget;
import com.employable.flotilla.health.targets.TargetKey;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Turns a machine's check, as the Machines API lists it, into a probe result. {@code passing} is a success,
 * {@code critical} a failure (its kind from the team server's self-check line, its detail the check's output, cleaned
 * like any text a server sent), anything else inconclusive. So is a check that has not reported since the machine
 * started (its {@code updated_at} is older than the machine's newest start), and a reading that shows exactly what
 * the previous counted one showed, listed less than a check interval after it (or from the same listing, which probes
 * of one app share): flyd has not run the check again, and one run must not count twice towards a verdict. ({@code updated_at} moves only when the status changes, as Fly documents it, so a
 * long-passing check is not stale for being old.)
 */
final class CheckReadings {

    /** Fly's check and event times are read with this slack: a reset at the start may be stamped a little earlier. */
    private static final Duration CLOCK_SLACK = Duration.ofSeconds(1);

    private static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(15);

    /** A repeat counts as a new run once this share of the check's interval has passed since the last one counted. */
    private static final double NEW_RUN_AFTER = 0.9;

    private static final Pattern SELF_CHECK_KIND =
            Pattern.compile("MCP self-check failed \\((connect|timeout|http|auth|protocol)\\)");

    private static final Pattern LATENCY = Pattern.compile("\\bin (\\d{1,7}) ms\\b");

    private static final Pattern TOOLS = Pattern.compile("\\b(\\d{1,5}) tools\\b");

    private static final Pattern PROTOCOL = Pattern.compile("\\bprotocol (\\d{4}-\\d{2}-\\d{2})\\b");

    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private final String checkName;

    private final Map<TargetKey, Counted> counted = new ConcurrentHashMap<>();

    CheckReadings(String checkName) {
        this.checkName = checkName;
    }

    /** What one poll saw of a check: equal observations are the same run as far as a poll can tell. */
    private record Observation(String status, String updatedAt, String output) {}

    private record Counted(Observation observation, Instant at) {}

    /**
     * @param machines the app's machines as listed
     * @param listedAt when that listing was asked for
     * @param checkedAt when this probe started
     */
    ProbeResult read(ProbeTarget target, JsonNode machines, Instant listedAt, Instant checkedAt) {
        JsonNode machine = machine(machines, target.machineId());
        if (machine == null || !"started".equals(machine.path("state").asString(""))) {
            return ProbeResult.inconclusive(checkedAt, 0, "the machine is not started according to the Machines API");
        }
        JsonNode check = check(machine);
        if (check == null) {
            return ProbeResult.inconclusive(checkedAt, 0, "the machine reports no '" + checkName + "' check");
        }
        String status = check.path("status").asString("");
        String output = check.path("output").asString("");
        Instant updatedAt = instant(check.path("updated_at").asString(""));
        Instant startedAt = newestStart(machine);
        if (updatedAt != null
                && startedAt != null
                && updatedAt.plus(CLOCK_SLACK).isBefore(startedAt)) {
            return ProbeResult.inconclusive(
                    checkedAt, 0, "the '" + checkName + "' check has not reported since the machine started");
        }
        var observation = new Observation(status, check.path("updated_at").asString(""), output);
        Counted last = counted.get(target.key());
        Duration newRunAfter = Duration.ofNanos((long) (interval(machine).toNanos() * NEW_RUN_AFTER));
        if (last != null
                && last.observation().equals(observation)
                && Duration.between(last.at(), listedAt).compareTo(newRunAfter) < 0) {
            return ProbeResult.inconclusive(
                    checkedAt, 0, "no new run of the '" + checkName + "' check since the last poll");
        }
        // the self-check's own duration, when its line says so: what the slow threshold judges
        long latency = Math.max(0, number(LATENCY, output));
        return switch (status) {
            case "passing" -> {
                counted.put(target.key(), new Counted(observation, listedAt));
                long tools = number(TOOLS, output);
                Matcher protocol = PROTOCOL.matcher(output);
                yield ProbeResult.success(
                        checkedAt, latency, protocol.find() ? protocol.group(1) : null, tools < 0 ? null : (int) tools);
            }
            case "critical" -> {
                counted.put(target.key(), new Counted(observation, listedAt));
                yield ProbeResult.failure(
                        checkedAt,
                        latency,
                        FailureClassifier.safe(
                                new ProbeFailure(kind(output), checkName + " check critical: " + shown(output)), null));
            }
            default ->
                ProbeResult.inconclusive(
                        checkedAt,
                        0,
                        FailureClassifier.safe(
                                        new ProbeFailure(
                                                FailureKind.PROTOCOL,
                                                "the '" + checkName + "' check is " + status + ": " + shown(output)),
                                        null)
                                .detail());
        };
    }

    /** Forgets what was counted of machines not polled for a while. */
    void forgetOlderThan(Instant cutoff) {
        counted.values().removeIf(entry -> entry.at().isBefore(cutoff));
    }

    private JsonNode machine(JsonNode machines, String id) {
        for (JsonNode machine : machines) {
            if (id.equals(machine.path("id").asString(""))) {
                return machine;
            }
        }
        return null;
    }

    private JsonNode check(JsonNode machine) {
        for (JsonNode check : machine.path("checks")) {
            if (checkName.equals(check.path("name").asString(""))) {
                return check;
            }
        }
        return null;
    }

    /** The newest {@code start} event that reached {@code started} (Fly lists events newest first, times in ms). */
    private static Instant newestStart(JsonNode machine) {
        Instant newest = null;
        for (JsonNode event : machine.path("events")) {
            if ("start".equals(event.path("type").asString(""))
                    && "started".equals(event.path("status").asString(""))
                    && event.path("timestamp").isNumber()) {
                Instant at = Instant.ofEpochMilli(event.path("timestamp").asLong());
                newest = newest == null || at.isAfter(newest) ? at : newest;
            }
        }
        return newest;
    }

    /** The check's interval from the machine's config ({@code "3s"}), 15 s when absent or unreadable. */
    private Duration interval(JsonNode machine) {
        String text = machine.path("config")
                .path("checks")
                .path(checkName)
                .path("interval")
                .asString("");
        Matcher part = GO_DURATION.matcher(text);
        double millis = 0;
        int end = 0;
        while (part.find() && part.start() == end) {
            double value = Double.parseDouble(part.group(1));
            millis += switch (part.group(2)) {
                case "ms" -> value;
                case "s" -> value * 1_000;
                case "m" -> value * 60_000;
                default -> value * 3_600_000;
            };
            end = part.end();
        }
        return end == 0 || end != text.length() ? DEFAULT_CHECK_INTERVAL : Duration.ofMillis((long) millis);
    }

    /** The self-check names its failure kind; flyd's own failures are read from their words. */
    private static FailureKind kind(String output) {
        Matcher selfCheck = SELF_CHECK_KIND.matcher(output);
        if (selfCheck.find()) {
            return FailureKind.valueOf(selfCheck.group(1).toUpperCase(Locale.ROOT));
        }
        String lower = output.toLowerCase(Locale.ROOT);
        if (lower.contains("connection refused") || lower.contains("no route") || lower.contains("unreachable")) {
            return FailureKind.CONNECT;
        }
        if (lower.contains("timed out") || lower.contains("timeout") || lower.contains("deadline exceeded")) {
            return FailureKind.TIMEOUT;
        }
        if (lower.matches("(?s).*: 40[13]( |$).*")) {
            return FailureKind.AUTH;
        }
        return FailureKind.HTTP;
    }

    /** The server's own words, without flyd's {@code HTTP GET <url>: <status> Output: } preamble when present. */
    private static String shown(String output) {
        int body = output.indexOf(" Output: ");
        String text = body >= 0 ? output.substring(body + " Output: ".length()) : output;
        String shown = FailureClassifier.untrusted(text);
        return shown.isEmpty() ? "(no output)" : shown;
    }

    private static long number(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    private static Instant instant(String text) {
        try {
            return text.isEmpty() ? null : Instant.parse(text);
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }
}
