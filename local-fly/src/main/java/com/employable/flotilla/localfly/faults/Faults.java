package com.employable.flotilla.localfly.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Injected faults, matched per request by method and path pattern: an HTTP status instead of the answer (500, 502,
 * 503, 429, ...), added latency, a timeout (the connection held until the client gives up), or an ambiguous answer
 * (the request takes effect, then the client gets an error). Each rule fires with a probability and optionally a
 * limited number of times; every injection is counted.
 */
public final class Faults {

    /**
     * @param method    HTTP method or null for any
     * @param path      regular expression matched against the whole request path
     * @param kind      status | latency | timeout | ambiguous
     * @param status    the status answered (status and ambiguous kinds)
     * @param latencyMs added latency (latency kind) or how long a timeout holds the connection
     */
    public record Rule(
            String id,
            String method,
            String path,
            String kind,
            int status,
            long latencyMs,
            double probability,
            long remaining) {}

    public record Injection(String kind, int status, long latencyMs) {}

    private final List<Entry> rules = new CopyOnWriteArrayList<>();
    private final Random random;
    private final AtomicLong ids = new AtomicLong();

    public Faults(long seed) {
        this.random = new Random(seed);
    }

    private static final class Entry {
        final Rule rule;
        final Pattern pattern;
        final AtomicLong fired = new AtomicLong();
        final AtomicLong remaining;

        Entry(Rule rule) {
            this.rule = rule;
            this.pattern = Pattern.compile(rule.path() == null ? ".*" : rule.path());
            this.remaining = new AtomicLong(rule.remaining() <= 0 ? Long.MAX_VALUE : rule.remaining());
        }
    }

    public Rule add(
            String method, String path, String kind, int status, long latencyMs, double probability, long times) {
        if (!List.of("status", "latency", "timeout", "ambiguous").contains(kind)) {
            throw new IllegalArgumentException("kind must be status, latency, timeout or ambiguous");
        }
        if (probability <= 0 || probability > 1) {
            throw new IllegalArgumentException("probability must be in (0, 1]");
        }
        if (("status".equals(kind) || "ambiguous".equals(kind)) && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("status must be an HTTP error status (400-599)");
        }
        Rule rule = new Rule(
                "fault-" + ids.incrementAndGet(),
                method == null ? null : method.toUpperCase(),
                path,
                kind,
                status,
                latencyMs,
                probability,
                times);
        Pattern.compile(rule.path() == null ? ".*" : rule.path());
        rules.add(new Entry(rule));
        return rule;
    }

    /** The fault to apply to this request, if any rule matches and its dice say so. */
    public Optional<Injection> match(String method, String path) {
        for (Entry entry : rules) {
            Rule rule = entry.rule;
            if ((rule.method() == null || rule.method().equals(method))
                    && entry.pattern.matcher(path).matches()) {
                boolean fire;
                synchronized (random) {
                    fire = random.nextDouble() < rule.probability();
                }
                if (fire && entry.remaining.getAndDecrement() > 0) {
                    entry.fired.incrementAndGet();
                    return Optional.of(new Injection(rule.kind(), rule.status(), rule.latencyMs()));
                }
            }
        }
        return Optional.empty();
    }

    public void clear() {
        rules.clear();
    }

    public List<Map<String, Object>> describe() {
        var result = new ArrayList<Map<String, Object>>();
        for (Entry entry : rules) {
            Rule rule = entry.rule;
            var map = new java.util.LinkedHashMap<String, Object>();
            map.put("id", rule.id());
            map.put("method", rule.method());
            map.put("path", rule.path());
            map.put("kind", rule.kind());
            map.put("status", rule.status());
            map.put("latency_ms", rule.latencyMs());
            map.put("probability", rule.probability());
            map.put("fired", entry.fired.get());
            result.add(map);
        }
        return result;
    }

    public long fired() {
        return rules.stream().mapToLong(entry -> entry.fired.get()).sum();
    }
}
