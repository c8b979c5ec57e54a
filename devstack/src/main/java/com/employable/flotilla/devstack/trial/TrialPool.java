package com.employable.flotilla.devstack.trial;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The warm pool of a trial run with {@code --pool K}: the provisioner builds K entries in the trial's region before
 * any team is published, so the first K teams claim one each (Fly's warm-pool blueprint) and the others are created
 * cold. The pool's apps are found through the Machines API by their name prefix, so the same code works on local-fly
 * and on Fly.io; only the apps that appeared during this trial are ever counted or deleted, never an org's other pool
 * apps (its {@code before}).
 */
public final class TrialPool {

    /** How the provisioner names pool apps ({@code flotilla.pool} app prefix). */
    public static final String APP_PREFIX = "flotilla-pool-";

    private static final String TEAM_METADATA = "flotilla_team";

    private final MachinesApi fly;
    private final String org;
    private final Set<String> before;

    /**
     * @param before the org's pool apps before the trial started its provisioner (an unreachable Fly API, such as a
     * local-fly not started yet, has none)
     */
    public TrialPool(MachinesApi fly, String org, Set<String> before) {
        this.fly = fly;
        this.org = org;
        this.before = Set.copyOf(before);
    }

    /** The org's pool apps now; empty when the Fly API does not answer (local-fly not started yet). */
    public static Set<String> poolApps(MachinesApi fly, String org) throws InterruptedException {
        try {
            return Set.copyOf(fly.apps(org).stream()
                    .filter(name -> name.startsWith(APP_PREFIX))
                    .toList());
        } catch (MachinesApi.FlyCallFailed unreachable) {
            return Set.of();
        }
    }

    /**
     * Waits until {@code entries} pool apps of this trial are ready to be claimed: a suspended machine that no team
     * holds.
     *
     * @return whether they were ready in time
     */
    public boolean awaitReady(int entries, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            if (ready() >= entries) {
                return true;
            }
            Thread.sleep(2000);
        }
        return false;
    }

    private int ready() throws InterruptedException {
        int ready = 0;
        for (String app : ours()) {
            for (JsonNode machine : machinesOf(app)) {
                if ("suspended".equals(machine.path("state").asString()) && team(machine) == null) {
                    ready++;
                }
            }
        }
        return ready;
    }

    /**
     * Deletes this trial's pool apps that no team holds (the unclaimed entries and the refills); run once the
     * provisioner has stopped, so nothing builds another. A claimed one went with its team's deletion.
     *
     * @return the apps deleted
     */
    public List<String> deleteUnclaimed() throws InterruptedException {
        List<String> deleted = new ArrayList<>();
        for (String app : ours()) {
            boolean claimed = false;
            for (JsonNode machine : machinesOf(app)) {
                claimed |= team(machine) != null;
            }
            if (!claimed) {
                fly.deleteApp(app);
                deleted.add(app);
            }
        }
        return deleted;
    }

    private List<String> ours() throws InterruptedException {
        return poolApps(fly, org).stream()
                .filter(app -> !before.contains(app))
                .sorted()
                .toList();
    }

    /** An app deleted since it was listed (a discarded entry) has no machines. */
    private List<JsonNode> machinesOf(String app) throws InterruptedException {
        try {
            return fly.machineDetails(app);
        } catch (MachinesApi.FlyCallFailed gone) {
            return List.of();
        }
    }

    private static String team(JsonNode machine) {
        JsonNode team = machine.path("config").path("metadata").path(TEAM_METADATA);
        return team.isString() && !team.asString().isBlank() ? team.asString() : null;
    }
}
