package com.employable.flotilla.localfly.checks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * One entry of a machine's {@code config.checks}, read leniently (Fly's fields: {@code type}, {@code port},
 * {@code interval}, {@code timeout}, {@code grace_period}, {@code method}, {@code path}, {@code protocol},
 * {@code headers[]}). A definition local-fly cannot run is kept with the reason, which becomes the check's output.
 *
 * @param invalid why the check cannot run, or {@code null}
 */
record CheckDefinition(
        String name,
        String type,
        int port,
        String method,
        String path,
        String protocol,
        List<Header> headers,
        Duration interval,
        Duration timeout,
        Duration gracePeriod,
        String invalid) {

    /** local-fly's defaults where a config leaves a field out (Fly documents none for machine checks). */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    static final Duration MIN_INTERVAL = Duration.ofMillis(100);

    /** One header of an HTTP check: a name and its values. */
    record Header(String name, List<String> values) {}

    static CheckDefinition from(String name, JsonNode config) {
        String type = config.path("type").asString("").toLowerCase(Locale.ROOT);
        int port = config.path("port").asInt(0);
        String method = config.path("method").asString("GET").toUpperCase(Locale.ROOT);
        String path = config.path("path").asString("/");
        String protocol = config.path("protocol").asString("http").toLowerCase(Locale.ROOT);
        List<Header> headers = new ArrayList<>();
        for (JsonNode header : config.path("headers")) {
            List<String> values = new ArrayList<>();
            header.path("values").forEach(value -> values.add(value.asString("")));
            headers.add(new Header(header.path("name").asString(""), List.copyOf(values)));
        }
        Duration interval = DEFAULT_INTERVAL;
        Duration timeout = DEFAULT_TIMEOUT;
        Duration grace = Duration.ZERO;
        String invalid = null;
        try {
            interval = GoDuration.parse(config.get("interval"), DEFAULT_INTERVAL, "interval");
            timeout = GoDuration.parse(config.get("timeout"), DEFAULT_TIMEOUT, "timeout");
            grace = GoDuration.parse(config.get("grace_period"), Duration.ZERO, "grace_period");
        } catch (IllegalArgumentException e) {
            invalid = e.getMessage();
        }
        if (invalid == null) {
            invalid = problem(type, port, path, interval, timeout, grace);
        }
        return new CheckDefinition(
                name, type, port, method, path, protocol, List.copyOf(headers), interval, timeout, grace, invalid);
    }

    private static String problem(
            String type, int port, String path, Duration interval, Duration timeout, Duration grace) {
        if (!"http".equals(type) && !"tcp".equals(type)) {
            return "type must be tcp or http, not '" + type + "'";
        }
        if (port < 1 || port > 65_535) {
            return "port is required (1 to 65535)";
        }
        if ("http".equals(type) && !path.startsWith("/")) {
            return "path must start with '/'";
        }
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            return "interval must be at least " + MIN_INTERVAL.toMillis() + "ms";
        }
        if (timeout.isNegative() || timeout.isZero()) {
            return "timeout must be positive";
        }
        if (grace.isNegative()) {
            return "grace_period must not be negative";
        }
        return null;
    }
}
