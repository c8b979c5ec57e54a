package com.employable.flotilla.e2e.chaos;

import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.common.events.team.TeamDeleted;
import com.employable.flotilla.common.events.team.TeamPlanChanged;
import com.employable.flotilla.common.events.team.TeamResumed;
import com.employable.flotilla.common.events.team.TeamSuspended;
import com.employable.flotilla.e2e.support.CloudEventRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The chaos run's load, drawn from its seed: a burst of {@code team.created}, then waves of plan changes, suspends,
 * resumes and deletes, each a valid next step for its team. It remembers each team's last event, which is the state
 * the platform must end in.
 */
final class ChaosLoad {

    static final List<String> PLANS = List.of("starter", "team", "business");

    static final List<String> REGIONS = List.of("iad", "ord", "fra", "ams");

    /** What employable last said about a team. */
    record Expected(String plan, boolean suspended, boolean deleted, long revision) {}

    private final Random random;

    private final Map<String, Expected> teams = new LinkedHashMap<>();

    ChaosLoad(long seed) {
        this.random = new Random(seed);
    }

    List<ProducerRecord<String, byte[]>> burst(int count) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String team = new UUID(random.nextLong(), random.nextLong()).toString();
            String plan = PLANS.get(random.nextInt(PLANS.size()));
            String region = REGIONS.get(random.nextInt(REGIONS.size()));
            teams.put(team, new Expected(plan, false, false, 1));
            records.add(CloudEventRecords.teamEvent(
                    team, TeamCreated.TYPE, new TeamCreated(team, 1, "chaos " + i, plan, region, Instant.now())));
        }
        return records;
    }

    /** One more event for about {@code share} of the teams still alive. */
    List<ProducerRecord<String, byte[]>> wave(double share) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (var entry : List.copyOf(teams.entrySet())) {
            Expected before = entry.getValue();
            if (before.deleted() || random.nextDouble() >= share) {
                continue;
            }
            records.add(next(entry.getKey(), before));
        }
        return records;
    }

    private ProducerRecord<String, byte[]> next(String team, Expected before) {
        long revision = before.revision() + 1;
        Instant now = Instant.now();
        int pick = random.nextInt(10);
        if (pick == 0) {
            teams.put(team, new Expected(before.plan(), before.suspended(), true, revision));
            return CloudEventRecords.teamEvent(team, TeamDeleted.TYPE, new TeamDeleted(team, revision, now));
        }
        if (before.suspended()) {
            teams.put(team, new Expected(before.plan(), false, false, revision));
            return CloudEventRecords.teamEvent(team, TeamResumed.TYPE, new TeamResumed(team, revision, now));
        }
        if (pick < 4) {
            teams.put(team, new Expected(before.plan(), true, false, revision));
            return CloudEventRecords.teamEvent(
                    team, TeamSuspended.TYPE, new TeamSuspended(team, revision, "chaos", now));
        }
        String plan = PLANS.get(random.nextInt(PLANS.size()));
        teams.put(team, new Expected(plan, false, false, revision));
        return CloudEventRecords.teamEvent(team, TeamPlanChanged.TYPE, new TeamPlanChanged(team, revision, plan, now));
    }

    Map<String, Expected> expected() {
        return Map.copyOf(teams);
    }
}
