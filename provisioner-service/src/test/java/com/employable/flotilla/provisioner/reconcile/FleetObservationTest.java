package com.employable.flotilla.provisioner.reconcile;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.employable.flotilla.provisioner.ownership.TeamOwnership;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.employable.flotilla.provisioner.team.TeamRepository;
import com.employable.flotilla.provisioner.team.TeamRepository.TeamApp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Each round lists every owned team's machines once (one call per app) and hands them to the observer. */
class FleetObservationTest {

    @Test
    void eachOwnedTeamsMachinesAreListedOncePerRoundAndObserved() {
        ProvisionerProperties properties = ReconcileHarness.properties();
        var ownership = new TeamOwnership(properties);
        String owned = teamIn(0);
        String elsewhere = teamIn(1);
        ownership.assigned(List.of(0), 6);
        var teams = mock(TeamRepository.class);
        when(teams.liveTeamApps())
                .thenReturn(List.of(new TeamApp(owned, "flotilla-team-" + owned), new TeamApp(elsewhere, "x")));
        var fly = new FakeFly();
        fly.withApp("flotilla-team-" + owned, "flotilla-team-" + owned);
        fly.put("flotilla-team-" + owned, "suspended", "fra", java.util.Map.of(MachineSpec.TEAM, owned));
        var observer = mock(MachineObserver.class);
        var observation = new FleetObservation(teams, ownership, fly, observer, properties, new SimpleMeterRegistry());

        observation.start();
        try {
            observation.observeAll();
        } finally {
            observation.stop();
        }

        verify(observer, times(1)).observe(eq(owned), eq("flotilla-team-" + owned), anyList());
        verify(observer, never()).observe(eq(elsewhere), any(), any());
        org.assertj.core.api.Assertions.assertThat(fly.calls).containsExactly("GET machines");
    }

    private static String teamIn(int partition) {
        return IntStream.range(0, 1000)
                .mapToObj(i -> "team-" + i)
                .filter(team -> TeamOwnership.partitionOf(team, 6) == partition)
                .findFirst()
                .orElseThrow();
    }
}
