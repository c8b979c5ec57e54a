package com.employable.flotilla.registry.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.registry.ServerStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The status table of the README, row by row. A machine is {@code state:health}: the verdict was taken before the
 * machine was seen in that state, or, with {@code :later}, at a time after it (a probe that met it in that state).
 */
class StatusRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-24T09:00:00Z");

    @ParameterizedTest(name = "{0} + provisioned={1} + machines [{2}] -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # phase              | provisioned | machines (state:health, :later = probed after that state) | status
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
            RUNNING              | true        | stopped:healthy                 | IDLE
            RUNNING              | true        | suspended:healthy               | IDLE
            RUNNING              | true        | stopped:healthy suspended:healthy| IDLE
            RUNNING              | true        | stopping:healthy                | IDLE
            RUNNING              | true        | suspending:healthy stopped:healthy| IDLE
            RUNNING              | true        | stopped:healthy started:healthy | READY
            RUNNING              | true        | suspended:healthy started:unknown| READY
            RUNNING              | true        | starting:healthy                | READY
            RUNNING              | true        | stopped:unknown                 | PROVISIONING
            RUNNING              | true        | stopped:healthy stopped:unknown | READY
            RUNNING              | true        | stopped:unhealthy               | UNHEALTHY
            RUNNING              | true        | suspended:degraded              | DEGRADED
            RUNNING              | true        | stopped:healthy stopped:unhealthy| DEGRADED
            RUNNING              | true        | stopped:unhealthy:later         | IDLE
            RUNNING              | true        | suspended:degraded:later stopped:healthy| IDLE
            RUNNING              | true        | stopping:unhealthy:later        | IDLE
            RUNNING              | true        | started:healthy stopped:unhealthy:later| READY
            RUNNING              | true        | started:unhealthy stopped:unhealthy:later| UNHEALTHY
            RUNNING              | true        | started:unhealthy:later         | UNHEALTHY
            RUNNING              | true        | failed:healthy stopped:healthy  | DEGRADED
            SUSPENDED            | true        | stopped:healthy                 | SUSPENDED
            FAILED_FINAL         | true        | stopped:healthy                 | FAILED
            FAILED_RETRYING      | true        | stopped:healthy                 | IDLE
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
            boolean later = parts.length > 2 && "later".equals(parts[2]);
            Instant checkedAt = later ? NOW.plusSeconds(15) : NOW.minusSeconds(15);
            machines.add(new MachineRecord(
                    "m" + index++,
                    parts[0],
                    NOW,
                    health == HealthStatus.UNKNOWN ? null : health,
                    health == HealthStatus.UNKNOWN ? null : checkedAt,
                    null,
                    null));
        }
        return machines;
    }
}
