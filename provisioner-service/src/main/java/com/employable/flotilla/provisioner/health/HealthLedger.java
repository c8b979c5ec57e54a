package com.employable.flotilla.provisioner.health;

import java.time.Instant;
import java.util.Map;

/** Health verdicts and the repairs made for them: observed by each reconcile, written when it repairs. */
public interface HealthLedger {

    /** The team's machines health-service currently calls unhealthy, by machine id. */
    Map<String, MachineHealth> unhealthy(String teamId, Instant now);

    void restarted(String teamId, String machineId, String reason);

    /**
     * The machine was destroyed for a replacement: its verdicts no longer speak of anything running, and the team's
     * rebuilt machine list is announced ({@code server.updated}) once the replacement runs.
     */
    void replaced(String teamId, String machineId, String reason);
}
