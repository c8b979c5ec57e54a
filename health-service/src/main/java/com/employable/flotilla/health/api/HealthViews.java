package com.employable.flotilla.health.api;

import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.health.ProbeFailure;
import com.employable.flotilla.common.events.registry.ServerStatus;
import com.employable.flotilla.health.monitor.TargetHealth;
import com.employable.flotilla.health.probe.ProbeResult;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** The JSON the health API answers with. */
final class HealthViews {

    private HealthViews() {}

    /**
     * A team's health: its machines, and a summary ({@code unhealthy} if any probed machine is, then
     * {@code degraded}, then {@code unknown}, else {@code healthy}; {@code unknown} when none is probed).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TeamHealthView(
            String teamId,
            HealthStatus status,
            ServerStatus registryStatus,
            long registryVersion,
            List<MachineHealthView> machines) {}

    /**
     * One machine: whether it is probed (and if not, why), its verdict and the latest probe.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MachineHealthView(
            String teamId,
            String machineId,
            String machineState,
            boolean probing,
            String notProbedBecause,
            String endpoint,
            HealthStatus status,
            Instant statusSince,
            int consecutiveFailures,
            LastProbeView lastProbe) {

        static MachineHealthView of(
                String teamId, String machineId, String machineState, String notProbedBecause, TargetHealth health) {
            if (health == null) {
                return new MachineHealthView(
                        teamId,
                        machineId,
                        machineState,
                        false,
                        notProbedBecause,
                        null,
                        HealthStatus.UNKNOWN,
                        null,
                        0,
                        null);
            }
            boolean probing = health.probing() && notProbedBecause == null;
            return new MachineHealthView(
                    teamId,
                    machineId,
                    machineState,
                    probing,
                    notProbedBecause,
                    health.endpoint().toString(),
                    health.status(),
                    health.statusSince(),
                    health.consecutiveFailures(),
                    LastProbeView.of(health.lastProbe()));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LastProbeView(
            Instant checkedAt,
            boolean ok,
            long latencyMs,
            ProbeFailure failure,
            String protocolVersion,
            Integer toolCount,
            String inconclusive) {

        static LastProbeView of(ProbeResult result) {
            return result == null
                    ? null
                    : new LastProbeView(
                            result.checkedAt(),
                            result.succeeded(),
                            result.latencyMs(),
                            result.failure(),
                            result.protocolVersion(),
                            result.toolCount(),
                            result.inconclusive());
        }
    }

    /** A page of machines across teams, in team then machine order. */
    record MachinePage(int page, int size, long total, List<MachineHealthView> items) {}
}
