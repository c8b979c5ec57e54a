package com.employable.flotilla.common.it;

import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.InvalidEventException;
import com.employable.flotilla.common.events.team.TeamLifecycleEvent;
import com.employable.flotilla.common.idempotency.AppliedEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** A minimal service built the way the real ones are: one thin listener, an idempotent effect in PostgreSQL. */
@SpringBootApplication
public class ConventionsTestApplication {

    /**
     * Team id prefix whose events the listener finds to break the contract every time: they must end in the
     * dead-letter topic at once.
     */
    public static final String ALWAYS_FAILS = "always-fails";

    /** Team id prefix whose events meet the database down until {@link TeamEffects#databaseDownUntil} has passed. */
    public static final String DURING_OUTAGE = "during-outage";

    @Bean
    MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    @Component
    static class TeamLifecycleListener {

        private final TeamEffects effects;

        TeamLifecycleListener(TeamEffects effects) {
            this.effects = effects;
        }

        @KafkaListener(id = "conventions-it", topics = "employable.team.lifecycle.v1")
        void on(EventEnvelope<TeamLifecycleEvent> event) {
            effects.apply(event);
        }
    }

    @Component
    static class TeamEffects {

        private final AppliedEvents appliedEvents;

        private final JdbcClient jdbc;

        private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();

        private volatile Instant databaseDownUntil = Instant.MIN;

        TeamEffects(AppliedEvents appliedEvents, JdbcClient jdbc) {
            this.appliedEvents = appliedEvents;
            this.jdbc = jdbc;
        }

        void apply(EventEnvelope<TeamLifecycleEvent> event) {
            deliveries
                    .computeIfAbsent(event.teamId(), team -> new AtomicInteger())
                    .incrementAndGet();
            if (event.teamId().startsWith(ALWAYS_FAILS)) {
                throw new InvalidEventException("the downstream system refuses team " + event.teamId());
            }
            if (event.teamId().startsWith(DURING_OUTAGE) && Instant.now().isBefore(databaseDownUntil)) {
                // what the pool throws while PostgreSQL fails over
                throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection: the database is down");
            }
            appliedEvents.applyOnce(
                    "conventions-it",
                    event.id(),
                    () -> jdbc.sql("insert into team_effect (team_id, event_id, ce_type) values (?, ?, ?)")
                            .params(event.teamId(), event.id(), event.type())
                            .update());
        }

        /** Events of {@link #DURING_OUTAGE} teams fail as if the database were down until {@code until}. */
        void databaseDownUntil(Instant until) {
            this.databaseDownUntil = until;
        }

        /** How often the listener was handed an event of {@code team}, failed deliveries included. */
        int deliveries(String team) {
            AtomicInteger count = deliveries.get(team);
            return count == null ? 0 : count.get();
        }
    }
}
