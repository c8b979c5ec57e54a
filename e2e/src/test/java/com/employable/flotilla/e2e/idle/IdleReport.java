package com.employable.flotilla.e2e.idle;

import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.e2e.support.CloudEventRecords;
import com.employable.flotilla.e2e.support.LocalFlyClient;
import com.employable.flotilla.e2e.support.Platform;
import com.employable.flotilla.e2e.support.TopicRecorder;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What an idle run measured, computed from local-fly's machine states, the agents' calls and the health topic. */
record IdleReport(
        Map<String, long[]> idleAndAsleepSecondsByPlan,
        int teamsMeasured,
        Duration provisioning,
        Duration detection,
        List<String> sleepingReportedUnhealthy,
        Map<String, List<Long>> wakeMillisByPlan,
        long calls,
        long failedCalls) {

    static IdleReport measure(
            LocalFlyClient fly,
            Platform platform,
            List<TeamRun> teams,
            TeamRun broken,
            BrokenServer breaker,
            List<TopicRecorder.Received> health,
            Instant start,
            Instant end,
            Duration idleWindow,
            Duration interval,
            Duration provisioning)
            throws IOException, InterruptedException {
        Map<String, long[]> byPlan = new TreeMap<>();
        Map<String, List<Long>> wakes = new TreeMap<>();
        Map<String, StateTimeline> timelines = new TreeMap<>();
        long calls = 0;
        long failed = 0;
        for (TeamRun team : teams) {
            StateTimeline timeline = MachineStates.timeline(fly, team.teamId());
            timelines.put(team.teamId(), timeline);
            if (team == broken) {
                continue;
            }
            long[] seconds = byPlan.computeIfAbsent(team.plan(), k -> new long[2]);
            List<TeamRun.Call> log = team.calls();
            for (Instant second = start; second.isBefore(end); second = second.plusSeconds(1)) {
                if (idle(log, second, idleWindow)) {
                    seconds[0]++;
                    if (timeline.asleepAt(second)) {
                        seconds[1]++;
                    }
                }
            }
            for (TeamRun.Call call : log) {
                calls++;
                failed += call.ok() ? 0 : 1;
                if (call.first() && timeline.asleepAt(call.at().minusMillis(1))) {
                    wakes.computeIfAbsent(team.plan(), k -> new ArrayList<>())
                            .add(call.took().toMillis());
                }
            }
        }
        Duration detection = null;
        List<String> sleepingUnhealthy = new ArrayList<>();
        for (TopicRecorder.Received received : health) {
            if (!CloudEventRecords.type(received.record()).orElse("").equals(HealthChanged.TYPE)) {
                continue;
            }
            if (!(CloudEventRecords.data(Topics.HEALTH, received.record()) instanceof HealthChanged change)) {
                continue;
            }
            if (change.status() != HealthStatus.UNHEALTHY) {
                continue;
            }
            if (change.teamId().equals(broken.teamId())
                    && breaker.brokeAt() != null
                    && received.at().isAfter(breaker.brokeAt())) {
                if (detection == null) {
                    detection = Duration.between(breaker.brokeAt(), received.at());
                }
            } else {
                StateTimeline timeline = timelines.get(change.teamId());
                String state = timeline == null ? "?" : timeline.stateAt(change.checkedAt());
                sleepingUnhealthy.add(change.teamId() + " at " + change.checkedAt() + " (machine " + state + ")");
            }
        }
        return new IdleReport(
                byPlan, teams.size() - 1, provisioning, detection, sleepingUnhealthy, wakes, calls, failed);
    }

    /** Idle: no call of the team started within the idle window before this second, and none is still running. */
    private static boolean idle(List<TeamRun.Call> log, Instant second, Duration window) {
        for (TeamRun.Call call : log) {
            Instant from = call.at();
            Instant until = call.at().plus(call.took()).plus(window);
            if (!second.isBefore(from) && second.isBefore(until)) {
                return false;
            }
        }
        return true;
    }

    String markdown(long seed, int teams, Duration run) {
        StringBuilder out = new StringBuilder();
        out.append("## Compressed activity run (seed ")
                .append(seed)
                .append(", ")
                .append(teams)
                .append(" teams, ")
                .append(run.toMinutes())
                .append(" min, idle window 30 s)\n\n");
        out.append("Provisioning of all teams: ")
                .append(provisioning.toSeconds())
                .append(" s\n\n");
        out.append("| plan | idle team-seconds | asleep while idle | share |\n|---|---|---|---|\n");
        long idle = 0;
        long asleep = 0;
        for (var entry : idleAndAsleepSecondsByPlan.entrySet()) {
            long[] s = entry.getValue();
            idle += s[0];
            asleep += s[1];
            out.append(row(entry.getKey(), s[0], s[1]));
        }
        out.append(row("all", idle, asleep)).append('\n');
        out.append("Broken server reported unhealthy after: ")
                .append(detection == null ? "never" : detection.toMillis() + " ms")
                .append('\n');
        out.append("Sleeping servers reported unhealthy: ")
                .append(sleepingReportedUnhealthy.size())
                .append(sleepingReportedUnhealthy.isEmpty() ? "" : " " + sleepingReportedUnhealthy)
                .append('\n');
        out.append("Agent calls: ")
                .append(calls)
                .append(", failed: ")
                .append(failedCalls)
                .append("\n\n");
        out.append("| wake by the first call of a burst | wakes | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|\n");
        wakeMillisByPlan.forEach((plan, millis) -> {
            List<Long> sorted = millis.stream().sorted().toList();
            out.append("| ")
                    .append(plan)
                    .append(" | ")
                    .append(sorted.size())
                    .append(" | ")
                    .append(percentile(sorted, 50))
                    .append(" | ")
                    .append(percentile(sorted, 99))
                    .append(" | ")
                    .append(sorted.isEmpty() ? "-" : sorted.getLast())
                    .append(" |\n");
        });
        return out.toString();
    }

    private static String row(String plan, long idle, long asleep) {
        return "| " + plan + " | " + idle + " | " + asleep + " | "
                + (idle == 0 ? "-" : String.format("%.1f%%", 100.0 * asleep / idle)) + " |\n";
    }

    static String percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return "-";
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return Long.toString(sorted.get(Math.max(0, index)));
    }
}
