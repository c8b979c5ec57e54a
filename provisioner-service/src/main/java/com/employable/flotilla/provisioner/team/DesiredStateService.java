package com.employable.flotilla.provisioner.team;

import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.InvalidEventException;
import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.common.events.team.TeamDeleted;
import com.employable.flotilla.common.events.team.TeamLifecycleEvent;
import com.employable.flotilla.common.events.team.TeamPlanChanged;
import com.employable.flotilla.common.events.team.TeamResumed;
import com.employable.flotilla.common.events.team.TeamSuspended;
import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.common.tracing.TraceParent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns employable's lifecycle events into the team's desired state, fenced by revision: an event at or below the
 * stored revision (a replay, a duplicate, or one overtaken by a newer event) changes nothing and is counted. The
 * event only records intent; the reconciler makes Fly match it, after the commit. A poll's events are recorded
 * together, in one transaction ({@link #applyAll}).
 */
@Service
public class DesiredStateService {

    private static final Logger log = LoggerFactory.getLogger(DesiredStateService.class);

    private final TeamRepository teams;
    private final ProvisionerProperties properties;
    private final TeamAddresses addresses;
    private final RegionGroups regionGroups;
    private final ReconcileRequests reconciles;
    private final WarmApps warmApps;
    private final Counter stale;
    private final TransactionTemplate transactions;
    private final DistributionSummary batches;

    DesiredStateService(
            TeamRepository teams,
            ProvisionerProperties properties,
            TeamAddresses addresses,
            ReconcileRequests reconciles,
            WarmApps warmApps,
            PlatformTransactionManager transactionManager,
            MeterRegistry meters) {
        this.teams = teams;
        this.properties = properties;
        this.addresses = addresses;
        this.regionGroups = properties.residency();
        this.reconciles = reconciles;
        this.warmApps = warmApps;
        this.stale = Counter.builder("flotilla.provisioner.stale.events")
                .description("lifecycle events ignored because a newer revision was already applied")
                .register(meters);
        this.transactions = new TransactionTemplate(transactionManager);
        this.batches = DistributionSummary.builder("flotilla.provisioner.intake.batch")
                .description("lifecycle events recorded per committed transaction")
                .register(meters);
    }

    /** A refused event of a batch: its index in the batch and why (a contract violation). */
    public record Refusal(int index, InvalidEventException reason) {}

    /**
     * Records a poll's events in order, in one transaction, each as {@link #apply} would; the reconciles they ask for
     * go out after the commit. The first event refused (a contract violation) ends the batch: the events before it are
     * recorded, it and those after it are not, and it is returned. Any other failure (the database) rolls back the
     * whole batch and is thrown.
     */
    public Optional<Refusal> applyAll(List<ConsumedEvent> events) {
        // refusals that need no state are found before anything is written
        Optional<Refusal> refusal = Optional.empty();
        for (int i = 0; i < events.size() && refusal.isEmpty(); i++) {
            try {
                checkStateless(events.get(i).envelope().data());
            } catch (InvalidEventException refused) {
                refusal = Optional.of(new Refusal(i, refused));
            }
        }
        int end = refusal.map(Refusal::index).orElse(events.size());
        while (true) {
            List<ConsumedEvent> accepted = events.subList(0, end);
            try {
                if (!accepted.isEmpty()) {
                    transactions.executeWithoutResult(status -> recordAll(accepted));
                    batches.record(accepted.size());
                }
                return refusal;
            } catch (RefusedInBatch refused) {
                // refused on what the database holds (e.g. an unknown plan): everything was rolled back, so the
                // events before it are recorded again without it
                end = refused.index;
                refusal = Optional.of(new Refusal(refused.index, refused.reason));
            }
        }
    }

    @Transactional
    public void apply(EventEnvelope<TeamLifecycleEvent> envelope) {
        record(envelope);
    }

    private void recordAll(List<ConsumedEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            ConsumedEvent consumed = events.get(i);
            try (Scope ignored = consumed.trace().get()) {
                record(consumed.envelope());
            } catch (InvalidEventException refused) {
                throw new RefusedInBatch(i, refused);
            }
        }
    }

    /** The refusals that depend on the event alone (the others need the team's row). */
    private void checkStateless(TeamLifecycleEvent event) {
        addresses.appName(event.teamId());
        if (event instanceof TeamCreated created) {
            requireRegionGroup(created.region());
        }
    }

    private void record(EventEnvelope<TeamLifecycleEvent> envelope) {
        TeamLifecycleEvent event = envelope.data();
        String teamId = event.teamId();
        // a team id that would name a platform app (or no valid app) is refused before anything is recorded: the
        // event goes to the dead-letter topic with this reason and no app is ever adopted or deleted for it
        String appName = addresses.appName(teamId);
        if (event instanceof TeamCreated created) {
            requireRegionGroup(created.region());
        }
        Optional<Team> current = teams.lock(teamId);
        if (current.isPresent()
                && current.get().status().phase() == Phase.AWAITING_CREATE
                && event instanceof TeamCreated created) {
            // the create was overtaken by a later event: it still brings the name and region nobody else carries
            teams.fillCreate(teamId, created.name(), created.region());
            reconcileAfterCommit(teamId);
            return;
        }
        if (current.isPresent() && event.revision() <= current.get().spec().revision()) {
            teams.countStale(teamId);
            stale.increment();
            log.info(
                    "Ignored {} revision {} for team {}: revision {} already applied",
                    envelope.type(),
                    event.revision(),
                    teamId,
                    current.get().spec().revision());
            return;
        }
        if (current.isEmpty()) {
            if (!(event instanceof TeamCreated created)) {
                // an update for a team we never saw: it may only be out of order, so keep what it says and wait for
                // the create to fill in the rest. A delete of an unknown team still deletes whatever might exist.
                insertFromUpdate(event, appName);
            } else {
                requirePlan(created.plan());
                // a warm app claimed in this transaction, or the team's own app, created cold
                String app = warmApps.claim(teamId, created.region()).orElse(appName);
                teams.insert(new TeamSpec(
                        teamId,
                        created.revision(),
                        created.name(),
                        created.plan(),
                        created.region(),
                        false,
                        false,
                        app,
                        UUID.randomUUID().toString(),
                        Announcement.PROVISIONED));
            }
        } else {
            teams.updateDesired(desiredAfter(current.get().spec(), event));
        }
        reconcileAfterCommit(teamId);
    }

    private TeamSpec desiredAfter(TeamSpec team, TeamLifecycleEvent event) {
        long revision = event.revision();
        return switch (event) {
            case TeamCreated created -> {
                requirePlan(created.plan());
                yield new TeamSpec(
                        team.teamId(),
                        revision,
                        team.name(),
                        created.plan(),
                        created.region(),
                        team.suspended(),
                        false,
                        team.appName(),
                        team.createKey(),
                        Announcement.PROVISIONED);
            }
            case TeamPlanChanged changed -> {
                requirePlan(changed.plan());
                yield new TeamSpec(
                        team.teamId(),
                        revision,
                        team.name(),
                        changed.plan(),
                        team.region(),
                        team.suspended(),
                        team.deleted(),
                        team.appName(),
                        team.createKey(),
                        announceAfter(team, Announcement.UPDATED));
            }
            case TeamSuspended suspended -> withSuspended(team, revision, true);
            case TeamResumed resumed -> withSuspended(team, revision, false);
            case TeamDeleted deleted ->
                new TeamSpec(
                        team.teamId(),
                        revision,
                        team.name(),
                        team.plan(),
                        team.region(),
                        team.suspended(),
                        true,
                        team.appName(),
                        team.createKey(),
                        Announcement.DEPROVISIONED);
        };
    }

    private static TeamSpec withSuspended(TeamSpec team, long revision, boolean suspended) {
        return new TeamSpec(
                team.teamId(),
                revision,
                team.name(),
                team.plan(),
                team.region(),
                suspended,
                team.deleted(),
                team.appName(),
                team.createKey(),
                announceAfter(team, suspended ? Announcement.SUSPENDED : Announcement.RESUMED));
    }

    /** A team never announced as provisioned is announced as provisioned first, whatever changed since. */
    private static Announcement announceAfter(TeamSpec team, Announcement announcement) {
        return team.announce() == Announcement.PROVISIONED ? Announcement.PROVISIONED : announcement;
    }

    private void insertFromUpdate(TeamLifecycleEvent event, String appName) {
        String teamId = event.teamId();
        String plan = event instanceof TeamPlanChanged changed ? changed.plan() : "starter";
        boolean deleted = event instanceof TeamDeleted;
        // no region is known until the create brings it; nothing is placed before then
        var spec = new TeamSpec(
                teamId,
                event.revision(),
                null,
                plan,
                TeamSpec.NO_REGION,
                event instanceof TeamSuspended,
                deleted,
                appName,
                UUID.randomUUID().toString(),
                deleted ? Announcement.DEPROVISIONED : null);
        teams.insert(spec);
        if (deleted || event instanceof TeamSuspended) {
            teams.updateDesired(spec);
        }
        if (!deleted) {
            // nothing to build until the create arrives with name and region
            teams.awaitCreate(teamId, event.revision());
        }
    }

    private void requireRegionGroup(String region) {
        if (regionGroups.groupOf(region).isEmpty()) {
            throw new InvalidEventException(
                    "region: '" + region + "' is in no configured region group (known: " + regionGroups + ")");
        }
    }

    private void requirePlan(String plan) {
        if (!properties.plans().containsKey(plan)) {
            throw new InvalidEventException("unknown plan '" + plan + "' (known: "
                    + String.join(
                            ", ", properties.plans().keySet().stream().sorted().toList()) + ")");
        }
    }

    private void reconcileAfterCommit(String teamId) {
        // the reconcile runs on another thread: it carries the event's trace (consume -> Fly calls -> outcome)
        String trace = TraceParent.current();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    reconciles.reconcile(teamId, trace);
                }
            });
        } else {
            reconciles.reconcile(teamId, trace);
        }
    }

    /** Rolls the batch's transaction back for an event refused inside it. */
    private static final class RefusedInBatch extends RuntimeException {
        private final int index;
        private final InvalidEventException reason;

        RefusedInBatch(int index, InvalidEventException reason) {
            super(reason.getMessage(), reason, false, false);
            this.index = index;
            this.reason = reason;
        }
    }
}
