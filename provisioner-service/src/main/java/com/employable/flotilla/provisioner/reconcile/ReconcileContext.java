package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.team.Plan;
import com.employable.flotilla.provisioner.team.TeamSpec;
import com.employable.flotilla.provisioner.team.TeamStatus;

/** One pass of one team: desired state, status so far in this pass, the plan, and the snapshot of Fly. */
record ReconcileContext(TeamSpec spec, TeamStatus status, Plan plan, Observed observed) {

    String app() {
        return spec.appName();
    }

    /** The region machines go to: the one capacity allowed last time, else the one employable asked for. */
    String targetRegion() {
        return status.placedRegion() != null ? status.placedRegion() : spec.region();
    }
}
