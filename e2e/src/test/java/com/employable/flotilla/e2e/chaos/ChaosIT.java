package com.employable.flotilla.e2e.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The chaos suite's short form, run by CI: one seed, a small burst, one instance of each service but two provisioners,
 * every kind of fault once. The full form (several instances, a 200-team burst, 20 seeds) is {@link ChaosHarness}.
 */
class ChaosIT {

    @Test
    void theInvariantsHoldThroughEveryKindOfFault() throws Exception {
        ChaosRun.Result result = new ChaosRun(
                        Long.getLong("flotilla.chaos.seed", 1), 20, 1, Duration.ofSeconds(45), Duration.ofMinutes(3))
                .run();
        assertThat(result.violations())
                .as("invariant violations of seed " + result.seed())
                .isEmpty();
    }
}
