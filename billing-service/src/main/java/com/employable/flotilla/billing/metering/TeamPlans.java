package com.employable.flotilla.billing.metering;

import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.InvalidEventException;
import com.employable.flotilla.common.events.Require;
import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.common.events.team.TeamDeleted;
import com.employable.flotilla.common.events.team.TeamLifecycleEvent;
import com.employable.flotilla.common.events.team.TeamPlanChanged;
import com.employable.flotilla.common.events.team.TeamResumed;
import com.employable.flotilla.common.events.team.TeamSuspended;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Each team's plan, from employable's lifecycle events: finance totals per plan, and budgets are per plan. Plans come
 * from configuration ({@code flotilla.billing.plans}, the provisioner's plans): an event naming another plan breaks
 * the contract and is dead-lettered, as the provisioner does, rather than being stored as a plan nobody prices.
 */
@Service
public class TeamPlans {

    private final MeterRepository repository;

    private final BillingProperties properties;

    TeamPlans(MeterRepository repository, BillingProperties properties) {
        this.repository = repository;
        this.properties = properties;
    }

    @Transactional
    public void apply(EventEnvelope<TeamLifecycleEvent> envelope) {
        switch (envelope.data()) {
            case TeamCreated created ->
                repository.plan(created.teamId(), requireKnown(created.plan()), created.revision());
            case TeamPlanChanged changed ->
                repository.plan(changed.teamId(), requireKnown(changed.plan()), changed.revision());
            // metering follows machine states; suspension, resumption and deletion show there
            case TeamSuspended suspended -> {}
            case TeamResumed resumed -> {}
            case TeamDeleted deleted -> {}
        }
    }

    private String requireKnown(String plan) {
        if (!properties.plans().contains(plan)) {
            throw new InvalidEventException(
                    "plan '" + Require.shown(plan) + "' is not a known plan " + properties.plans());
        }
        return plan;
    }
}
