package com.employable.flotilla.provisioner.pool;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import com.employable.flotilla.provisioner.ownership.TeamOwnership;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pool is maintained by one instance of the fleet: the owner of the team lifecycle's partition 0. */
class PoolTickerTest {

    private final PoolMaintainer maintainer = mock(PoolMaintainer.class);
    private final PoolProperties properties = new PoolProperties(true, Map.of("iad", 3), 12, 2, null, null, null);
    private final TeamOwnership ownership = new TeamOwnership(PoolFixture.provisioner("team-server:1"));

    @Test
    void theOwnerOfPartitionZeroMaintainsThePool() {
        ownership.assigned(List.of(0, 1), 6);

        new PoolTicker(maintainer, properties, ownership).tick();

        verify(maintainer).maintain(any());
    }

    @Test
    void anotherInstanceOnlyReportsThePoolsSizeSoTheFleetRefillsAtOneRate() {
        ownership.assigned(List.of(2, 3), 6);

        new PoolTicker(maintainer, properties, ownership).tick();

        verify(maintainer, never()).maintain(any());
        verify(maintainer).reportReady();
    }

    @Test
    void anInstanceWithoutPartitionsYetMaintainsNothing() {
        new PoolTicker(maintainer, properties, ownership).tick();

        verify(maintainer, never()).maintain(any());
    }
}
