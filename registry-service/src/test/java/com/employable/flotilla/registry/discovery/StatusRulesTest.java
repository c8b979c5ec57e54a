package com.employable.flotilla.registry.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.registry.ServerStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The status table of the README, row by row. */
class StatusRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-24T09:00:00Z");

    @ParameterizedTest(name = "{0} + provisioned={1} + machines [{2}] -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # phase              | provisioned | machines (state:health)         | status
            SUSPENDED            | true        | started:healthy                 | SUSPENDED
            SUSPENDED            | false       | -                               | SUSPENDED
            FAILED_FINAL         | true        | started:healthy                 | FAILED
            FAILED_FINAL         | false       | -                               | FAILED
            FAILED_RETRYING      | false       | -                               | FAILED
            FAILED_RETRYING      | true        | started:healthy                 | READY
            -                    | false       | started:unknown                 | PROVISIONING
            RUNNING              | false       | -                               | PROVISIONING
            RUNNING              | true        | -                               | UNHEALTHY
            RUNNING              | true        | started:unknown                 | PROVISIONING
            RUNNING              | true        | started:unknown started:unknown | PROVISIONING
            RUNNING              | true        | started:healthy                 | READY
            RUNNING              | true        | started:healthy started:unknown | READY
            RUNNING              | true        | stopped:healthy                 | READY
            RUNNING              | true        | suspended:healthy               | READY
            RUNNING              | true        | started:healthy started:healthy | READY
            RUNNING              | true        | started:healthy started:degraded| DEGRADED
            RUNNING              | true        | started:healthy started:unhealthy| DEGRADED
            RUNNING              | true        | started:degraded                | DEGRADED
            RUNNING              | true        | started:degraded started:unhealthy| DEGRADED
            RUNNING              | true        | started:unhealthy               | UNHEALTHY
            RUNNING              | true        | started:unhealthy started:unhealthy| UNHEALTHY
            RUNNING              | true        | started:unhealthy started:unknown| UNHEALTHY
            RUNNING              | true        | failed:healthy                  | UNHEALTHY
            RUNNING              | true        | failed:healthy started:healthy  | DEGRADED
            """)
    void status(String phase, boolean provisioned, String machines, ServerStatus expected) {
        assertThat(StatusRules.status(phase(phase), provisioned, machines(machines)))
                .isEqualTo(expected);
    }

    private static Phase phase(String name) {
        if (name == null) {
            return null;
        }
        var key = new OrderKey(1, NOW, 0, 0);
        return switch (name) {
            case "FAILED_FINAL" -> new Phase(Phase.Kind.FAILED, key, new Failure("create-app", "x", false, 1, null));
            case "FAILED_RETRYING" -> new Phase(Phase.Kind.FAILED, key, new Failure("create-app", "x", true, 1, NOW));
            default -> new Phase(Phase.Kind.valueOf(name), key, null);
        };
    }

    private static List<MachineRecord> machines(String spec) {
        List<MachineRecord> machines = new ArrayList<>();
        if (spec == null) {
            return machines;
        }
        int index = 0;
        for (String machine : spec.trim().split("\\s+")) {
            String[] parts = machine.split(":");
            HealthStatus health = HealthStatus.valueOf(parts[1].toUpperCase(java.util.Locale.ROOT));
            machines.add(new MachineRecord(
                    "m" + index++, parts[0], NOW, health == HealthStatus.UNKNOWN ? null : health, NOW, null, null));
        }
        return machines;
    }
}
