package com.employable.flotilla.common.events.server;

import com.employable.flotilla.common.events.TeamEvent;

/**
 * What the provisioner did to a team's server, on {@code flotilla.server.lifecycle.v1}: outcomes of reconciling the
 * team's desired state, and every machine state transition it caused or observed (billing meters from those).
 */
public sealed interface ServerLifecycleEvent extends TeamEvent
        permits ServerProvisioned,
                ServerUpdated,
                ServerProvisioningFailed,
                ServerSuspended,
                ServerResumed,
                ServerDeprovisioned,
                MachineStateChanged {}
