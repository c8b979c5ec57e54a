package com.employable.flotilla.common.it;

import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.team.TeamLifecycleEvent;
import com.employable.flotilla.common.idempotency.AppliedEvents;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** A minimal service built the way the real ones are: one thin listener, an idempotent effect in PostgreSQL. */
@SpringBootApplication
public class ConventionsTestApplication {

    /** Team id prefix whose events fail in the listener every time: they must end in the dead-letter topic. */
    public static final String ALWAYS_FAILS = "always-fails";

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

        TeamEffects(AppliedEvents appliedEvents, JdbcClient jdbc) {
            this.appliedEvents = appliedEvents;
            this.jdbc = jdbc;
        }

        void apply(EventEnvelope<TeamLifecycleEvent> event) {
            if (event.teamId().startsWith(ALWAYS_FAILS)) {
                throw new IllegalStateException("the downstream system refuses team " + event.teamId());
            }
            appliedEvents.applyOnce(
                    "conventions-it",
                    event.id(),
                    () -> jdbc.sql("insert into team_effect (team_id, event_id, ce_type) values (?, ?, ?)")
                            .params(event.teamId(), event.id(), event.type())
                            .update());
        }
    }
}
