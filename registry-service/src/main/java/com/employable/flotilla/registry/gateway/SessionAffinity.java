package com.employable.flotilla.registry.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Which machine created each MCP session, so every later request of the session reaches that machine (a session
 * lives in the memory of one team server process). Bindings are written to PostgreSQL when the session is created, so
 * any registry instance routes the session the same way, and cached in memory for the requests that follow.
 */
@Component
class SessionAffinity {

    private static final Logger log = LoggerFactory.getLogger(SessionAffinity.class);

    /** How stale a binding's last-use time may get before a request refreshes it (saves a write per request). */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(10);

    private final JdbcClient jdbc;

    private final Clock clock;

    private final Duration idleTtl;

    /** Bounded, read without a lock on every request of a session (a synchronized map was contended). */
    private final Cache<Key, Binding> cache;

    SessionAffinity(JdbcClient jdbc, Clock clock, GatewayProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.idleTtl = properties.sessionIdleTtl();
        this.cache =
                Caffeine.newBuilder().maximumSize(properties.sessionCacheSize()).build();
    }

    Optional<String> machineOf(String teamId, String sessionId) {
        Key key = new Key(teamId, sessionId);
        Binding binding = cache.getIfPresent(key);
        if (binding == null) {
            binding = jdbc.sql(
                            "select machine_id, last_used_at from gateway_session where team_id = ? and session_id = ?")
                    .params(teamId, sessionId)
                    .query((rs, n) ->
                            new Binding(rs.getString(1), rs.getTimestamp(2).toInstant()))
                    .optional()
                    .orElse(null);
            if (binding == null) {
                return Optional.empty();
            }
            cache.put(key, binding);
        }
        Instant now = clock.instant();
        if (binding.lastUsed().plus(TOUCH_EVERY).isBefore(now)) {
            jdbc.sql("update gateway_session set last_used_at = ? where team_id = ? and session_id = ?")
                    .params(Timestamp.from(now), teamId, sessionId)
                    .update();
            cache.put(key, new Binding(binding.machineId(), now));
        }
        return Optional.of(binding.machineId());
    }

    void remember(String teamId, String sessionId, String machineId) {
        Instant now = clock.instant();
        jdbc.sql("""
                insert into gateway_session (team_id, session_id, machine_id, created_at, last_used_at)
                values (?, ?, ?, ?, ?)
                on conflict (team_id, session_id) do update set machine_id = excluded.machine_id,
                    last_used_at = excluded.last_used_at""")
                .params(teamId, sessionId, machineId, Timestamp.from(now), Timestamp.from(now))
                .update();
        cache.put(new Key(teamId, sessionId), new Binding(machineId, now));
    }

    void forget(String teamId, String sessionId) {
        cache.invalidate(new Key(teamId, sessionId));
        jdbc.sql("delete from gateway_session where team_id = ? and session_id = ?")
                .params(teamId, sessionId)
                .update();
    }

    @Scheduled(
            fixedDelayString = "${flotilla.registry.gateway.session-purge-interval:1h}",
            initialDelayString = "${flotilla.registry.gateway.session-purge-interval:1h}")
    void purgeIdle() {
        int purged = jdbc.sql("delete from gateway_session where last_used_at < ?")
                .param(Timestamp.from(clock.instant().minus(idleTtl)))
                .update();
        if (purged > 0) {
            log.info("forgot {} MCP sessions idle for more than {}", purged, idleTtl);
        }
    }

    private record Key(String teamId, String sessionId) {}

    private record Binding(String machineId, Instant lastUsed) {}
}
