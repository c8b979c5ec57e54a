package com.employable.flotilla.common.events;

import com.employable.flotilla.common.events.billing.BillingEvent;
import com.employable.flotilla.common.events.billing.BudgetExceeded;
import com.employable.flotilla.common.events.billing.UsageAdjusted;
import com.employable.flotilla.common.events.billing.UsageRecorded;
import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.health.HealthEvent;
import com.employable.flotilla.common.events.registry.RegistryEntry;
import com.employable.flotilla.common.events.registry.RegistryEvent;
import com.employable.flotilla.common.events.server.MachineStateChanged;
import com.employable.flotilla.common.events.server.ServerDeprovisioned;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import com.employable.flotilla.common.events.server.ServerProvisioned;
import com.employable.flotilla.common.events.server.ServerProvisioningFailed;
import com.employable.flotilla.common.events.server.ServerResumed;
import com.employable.flotilla.common.events.server.ServerSuspended;
import com.employable.flotilla.common.events.server.ServerUpdated;
import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.common.events.team.TeamDeleted;
import com.employable.flotilla.common.events.team.TeamLifecycleEvent;
import com.employable.flotilla.common.events.team.TeamPlanChanged;
import com.employable.flotilla.common.events.team.TeamResumed;
import com.employable.flotilla.common.events.team.TeamSuspended;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The topics of Flotilla, declared once. All are keyed by team id and carry CloudEvents 1.0 headers. */
public final class Topics {

    /** Topic names as compile-time constants, for {@code @KafkaListener(topics = ...)}. */
    public static final String TEAM_LIFECYCLE_NAME = "employable.team.lifecycle.v1";

    public static final String SERVER_LIFECYCLE_NAME = "flotilla.server.lifecycle.v1";

    public static final String REGISTRY_NAME = "flotilla.registry.v1";

    public static final String HEALTH_NAME = "flotilla.health.v1";

    public static final String BILLING_USAGE_NAME = "flotilla.billing.usage.v1";

    /** employable → provisioner. */
    public static final Topic<TeamLifecycleEvent> TEAM_LIFECYCLE = Topic.builder(
                    TEAM_LIFECYCLE_NAME, TeamLifecycleEvent.class, "employable")
            .type(TeamCreated.TYPE, TeamCreated.class)
            .type(TeamPlanChanged.TYPE, TeamPlanChanged.class)
            .type(TeamSuspended.TYPE, TeamSuspended.class)
            .type(TeamResumed.TYPE, TeamResumed.class)
            .type(TeamDeleted.TYPE, TeamDeleted.class)
            .retention(Duration.ofDays(7))
            .build();

    /** provisioner → registry, billing. */
    public static final Topic<ServerLifecycleEvent> SERVER_LIFECYCLE = Topic.builder(
                    SERVER_LIFECYCLE_NAME, ServerLifecycleEvent.class, "flotilla/provisioner")
            .type(ServerProvisioned.TYPE, ServerProvisioned.class)
            .type(ServerUpdated.TYPE, ServerUpdated.class)
            .type(ServerProvisioningFailed.TYPE, ServerProvisioningFailed.class)
            .type(ServerSuspended.TYPE, ServerSuspended.class)
            .type(ServerResumed.TYPE, ServerResumed.class)
            .type(ServerDeprovisioned.TYPE, ServerDeprovisioned.class)
            .type(MachineStateChanged.TYPE, MachineStateChanged.class)
            .retention(Duration.ofDays(30))
            .build();

    /** registry → health and anyone who needs discovery; compacted, tombstone when a team is gone. */
    public static final Topic<RegistryEvent> REGISTRY = Topic.builder(
                    REGISTRY_NAME, RegistryEvent.class, "flotilla/registry")
            .type(RegistryEntry.TYPE, RegistryEntry.class)
            .compacted()
            .build();

    /** health → registry, provisioner. */
    public static final Topic<HealthEvent> HEALTH = Topic.builder(HEALTH_NAME, HealthEvent.class, "flotilla/health")
            .type(HealthChanged.TYPE, HealthChanged.class)
            .retention(Duration.ofDays(7))
            .build();

    /** billing → finance. */
    public static final Topic<BillingEvent> BILLING_USAGE = Topic.builder(
                    BILLING_USAGE_NAME, BillingEvent.class, "flotilla/billing")
            .type(UsageRecorded.TYPE, UsageRecorded.class)
            .type(UsageAdjusted.TYPE, UsageAdjusted.class)
            .type(BudgetExceeded.TYPE, BudgetExceeded.class)
            .retention(Duration.ofDays(400))
            .build();

    public static final List<Topic<?>> ALL = List.of(TEAM_LIFECYCLE, SERVER_LIFECYCLE, REGISTRY, HEALTH, BILLING_USAGE);

    private Topics() {}

    public static Optional<Topic<?>> byName(String name) {
        return ALL.stream().filter(topic -> topic.name().equals(name)).findFirst();
    }
}
