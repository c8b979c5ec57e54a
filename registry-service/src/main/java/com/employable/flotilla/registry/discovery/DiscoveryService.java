package com.employable.flotilla.registry.discovery;

import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.cloudevents.EventJson;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.health.HealthEvent;
import com.employable.flotilla.common.events.registry.RegistryEntry;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import com.employable.flotilla.common.idempotency.AppliedEvents;
import com.employable.flotilla.common.outbox.Outbox;
import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.registry.system.RegistryProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies the provisioner's and the health-service's events to the discovery table and publishes every change of a
 * team's entry to the compacted registry topic, in the same transaction (through the outbox).
 */
@Service
public class DiscoveryService {

    static final String SERVER_LIFECYCLE_CONSUMER = "registry-server-lifecycle";

    static final String HEALTH_CONSUMER = "registry-health";

    private static final Logger log = LoggerFactory.getLogger(DiscoveryService.class);

    private final TeamServerTable table;

    private final AppliedEvents appliedEvents;

    private final Outbox outbox;

    private final RegistryProperties properties;

    private final Clock clock;

    private final MeterRegistry meters;

    private final TeamAddresses addresses;

    DiscoveryService(
            TeamServerTable table,
            AppliedEvents appliedEvents,
            Outbox outbox,
            RegistryProperties properties,
            Clock clock,
            MeterRegistry meters,
            TeamAddresses addresses) {
        this.addresses = addresses;
        this.table = table;
        this.appliedEvents = appliedEvents;
        this.outbox = outbox;
        this.properties = properties;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * @throws com.employable.flotilla.common.events.InvalidEventException when the event's app or endpoint is not the
     * one derived for its team (the listener's error handler dead-letters it with that reason)
     */
    @Transactional
    public void apply(EventEnvelope<ServerLifecycleEvent> event) {
        DeclaredAddresses.check(event.data(), addresses);
        if (!appliedEvents.markApplied(SERVER_LIFECYCLE_CONSUMER, event.id())) {
            count(Topics.SERVER_LIFECYCLE_NAME, "duplicate", event);
            return;
        }
        TeamServerTable.Row row = table.lock(event.teamId());
        record(Topics.SERVER_LIFECYCLE_NAME, event, row, row.state().apply(event.data(), event.time()));
    }

    @Transactional
    public void applyHealth(EventEnvelope<HealthEvent> event) {
        if (!appliedEvents.markApplied(HEALTH_CONSUMER, event.id())) {
            count(Topics.HEALTH_NAME, "duplicate", event);
            return;
        }
        TeamServerTable.Row row = table.lock(event.teamId());
        record(Topics.HEALTH_NAME, event, row, row.state().apply(event.data()));
    }

    private void record(String topic, EventEnvelope<?> event, TeamServerTable.Row row, TeamServer.Change change) {
        if (change.stale()) {
            // stale, replayed or superseded: newer knowledge is already held; recorded as applied so it stays ignored
            count(topic, "stale", event);
            return;
        }
        count(topic, "applied", event);
        table.save(publishIfChanged(row, change.state()));
    }

    /** Publishes the team's new entry (or a tombstone) when its view changed; otherwise only the state moves on. */
    private TeamServerTable.Row publishIfChanged(TeamServerTable.Row row, TeamServer state) {
        Optional<ServerView> view = state.view(properties.protocolVersion(), addresses);
        String viewJson = view.map(EventJson.MAPPER::writeValueAsString).orElse(null);
        if (Objects.equals(viewJson, row.publishedView())) {
            return new TeamServerTable.Row(state, row.status(), row.publishedView(), row.version(), row.updatedAt());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // a hybrid logical clock: strictly increasing per team, and never below the wall clock, so a registry rebuilt
        // from an empty database still publishes versions above everything it published before
        long version = Math.max(row.version() + 1, now.toEpochMilli());
        if (view.isEmpty()) {
            outbox.publishTombstone(Topics.REGISTRY, state.teamId(), RegistryEntry.TYPE);
            meters.counter("flotilla.registry.publications", "kind", "tombstone")
                    .increment();
            log.info("team {} has no server any more: tombstone published (version {})", state.teamId(), version);
            return new TeamServerTable.Row(state, null, null, version, now);
        }
        ServerView current = view.get();
        outbox.publish(Topics.REGISTRY, current.toEntry(version, now));
        meters.counter("flotilla.registry.publications", "kind", "entry").increment();
        if (row.status() != current.status()) {
            log.info(
                    "team {} is {} (was {}), version {}",
                    state.teamId(),
                    name(current.status()),
                    name(row.status()),
                    version);
        }
        return new TeamServerTable.Row(state, current.status(), viewJson, version, now);
    }

    private void count(String topic, String outcome, EventEnvelope<?> event) {
        meters.counter("flotilla.registry.events", "topic", topic, "outcome", outcome)
                .increment();
        if (!"applied".equals(outcome)) {
            log.debug("{} event {} ({}) for team {} ignored", outcome, event.id(), event.type(), event.teamId());
        }
    }

    private static String name(Enum<?> status) {
        return status == null ? "absent" : status.name().toLowerCase(java.util.Locale.ROOT);
    }
}
