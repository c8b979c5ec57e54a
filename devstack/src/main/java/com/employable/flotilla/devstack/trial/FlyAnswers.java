package com.employable.flotilla.devstack.trial;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every answer from the Fly Machines API that was not a success, from the provisioner (its audit of Fly calls) and
 * from the trial's own calls: rate limits (429), capacity (412 {@code insufficient_capacity}), timeouts (408), server
 * errors. Fly's limits and quotas show up here first.
 */
public final class FlyAnswers {

    /** One answer that was not a success. */
    public record Answer(String source, String endpoint, int status, String error) {}

    private final List<Answer> answers = new ArrayList<>();
    private final Map<String, Integer> calls = new TreeMap<>();

    public synchronized void called(String source) {
        calls.merge(source, 1, Integer::sum);
    }

    public synchronized void answered(String source, String endpoint, int status, String error) {
        answers.add(new Answer(source, endpoint, status, error == null ? "" : error));
    }

    /** Calls counted per source (provisioner, trial). */
    public synchronized Map<String, Integer> calls() {
        return Map.copyOf(calls);
    }

    public synchronized List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** How often each kind came back: {@code 429}, {@code 412 insufficient_capacity}, {@code 0 io error}, ... */
    public synchronized Map<String, Integer> byKind() {
        Map<String, Integer> kinds = new TreeMap<>();
        for (Answer a : answers) {
            kinds.merge(kind(a), 1, Integer::sum);
        }
        return kinds;
    }

    /** The answers that are Fly telling us about a limit or a quota: rate limits and capacity. */
    public synchronized List<Answer> limits() {
        return answers.stream().filter(FlyAnswers::isLimit).toList();
    }

    static boolean isLimit(Answer a) {
        String error = a.error().toLowerCase(java.util.Locale.ROOT);
        return a.status() == 429
                || error.contains("capacity")
                || error.contains("rate limit")
                || error.contains("quota")
                || error.contains("limit exceeded");
    }

    static String kind(Answer a) {
        String error = a.error().toLowerCase(java.util.Locale.ROOT);
        if (a.status() == 0) {
            return "0 no answer (I/O)";
        }
        if (error.contains("insufficient_capacity") || error.contains("capacity")) {
            return a.status() + " capacity";
        }
        return Integer.toString(a.status());
    }
}
