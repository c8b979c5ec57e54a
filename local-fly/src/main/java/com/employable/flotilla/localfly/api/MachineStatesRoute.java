package com.employable.flotilla.localfly.api;

import com.employable.flotilla.localfly.error.FlyError;
import com.employable.flotilla.localfly.http.Answer;
import com.employable.flotilla.localfly.http.Request;
import com.employable.flotilla.localfly.machines.MachineTimeline;
import com.employable.flotilla.localfly.machines.Machines;
import com.employable.flotilla.localfly.machines.StateChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /_admin/machine-states?since=&app=}: every machine's state changes with their times, local-fly's ground
 * truth for a harness that measures how long machines ran. {@code since} (epoch milliseconds or ISO-8601) keeps the
 * changes from then on and says which state each machine was in just before; {@code app} narrows to one app.
 * Each machine also gets the seconds it spent in each state between {@code since} and now.
 */
final class MachineStatesRoute {

    private final Machines machines;
    private final Clock clock;

    MachineStatesRoute(Machines machines, Clock clock) {
        this.machines = machines;
        this.clock = clock;
    }

    Answer timeline(Request request) {
        Instant now = clock.instant();
        Instant since = since(request.query().get("since"));
        String app = request.query().get("app");
        ObjectNode body = Json.object();
        body.put("now", now.truncatedTo(ChronoUnit.MILLIS).toString());
        body.put("now_ms", now.toEpochMilli());
        body.put("since_ms", since.toEpochMilli());
        ArrayNode all = body.putArray("machines");
        machines.timelines().stream()
                .filter(timeline -> app == null || app.equals(timeline.appName()))
                .sorted(Comparator.comparing((MachineTimeline timeline) ->
                        timeline.changes().getFirst().at()))
                .forEach(timeline -> all.add(machine(timeline, since, now)));
        return Answer.ok(body);
    }

    private static ObjectNode machine(MachineTimeline timeline, Instant since, Instant now) {
        List<StateChange> changes = timeline.changes();
        ObjectNode node = Json.object();
        node.put("id", timeline.id());
        node.put("app", timeline.appName());
        node.put("region", timeline.region());
        node.put("state", changes.getLast().state());
        node.put("state_at_since", stateAt(changes, since));
        node.put("dropped", timeline.dropped());
        ArrayNode list = node.putArray("transitions");
        changes.stream()
                .filter(change -> !change.at().isBefore(since))
                .forEach(change -> list.addObject()
                        .put("state", change.state())
                        .put("at", change.at().truncatedTo(ChronoUnit.MILLIS).toString())
                        .put("at_ms", change.at().toEpochMilli()));
        ObjectNode seconds = node.putObject("seconds_in_state");
        secondsInState(changes, since, now).forEach(seconds::put);
        return node;
    }

    /**
     * The state the machine was in just before {@code at} (to the millisecond, as listed), or null before it existed:
     * the transitions listed, those from {@code at} on, apply to it.
     */
    private static String stateAt(List<StateChange> changes, Instant at) {
        String state = null;
        for (StateChange change : changes) {
            if (change.at().toEpochMilli() >= at.toEpochMilli()) {
                break;
            }
            state = change.state();
        }
        return state;
    }

    /** Seconds in each state within [since, now]; a destroyed machine stops counting. */
    static Map<String, Double> secondsInState(List<StateChange> changes, Instant since, Instant now) {
        Map<String, Double> seconds = new TreeMap<>();
        for (int i = 0; i < changes.size(); i++) {
            StateChange change = changes.get(i);
            Instant end = i + 1 < changes.size() ? changes.get(i + 1).at() : now;
            Instant from = change.at().isBefore(since) ? since : change.at();
            if ("destroyed".equals(change.state()) || !end.isAfter(from)) {
                continue;
            }
            seconds.merge(change.state(), Duration.between(from, end).toNanos() / 1e9, Double::sum);
        }
        return seconds;
    }

    private static Instant since(String value) {
        if (value == null || value.isBlank()) {
            return Instant.EPOCH;
        }
        try {
            return value.chars().allMatch(Character::isDigit)
                    ? Instant.ofEpochMilli(Long.parseLong(value))
                    : Instant.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new FlyError(400, "since must be epoch milliseconds or an ISO-8601 instant, not " + value);
        }
    }
}
