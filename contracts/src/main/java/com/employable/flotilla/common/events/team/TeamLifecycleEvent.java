package com.employable.flotilla.common.events.team;

import com.employable.flotilla.common.events.TeamEvent;
import java.time.Instant;

/**
 * What employable says happened to a team, on {@code employable.team.lifecycle.v1}. {@code revision} is employable's
 * per-team counter: a consumer applies an event only when its revision is newer than the last one it applied.
 */
public sealed interface TeamLifecycleEvent extends TeamEvent
        permits TeamCreated, TeamPlanChanged, TeamSuspended, TeamResumed, TeamDeleted {

    long revision();

    Instant occurredAt();
}
