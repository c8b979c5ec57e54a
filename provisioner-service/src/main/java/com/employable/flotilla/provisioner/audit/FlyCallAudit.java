package com.employable.flotilla.provisioner.audit;

import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.provisioner.fly.FlyCallListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes every Fly API call to the fly_call table: who (this service), what (action, method, path), when, result.
 * Paths carry app names and machine ids only; bodies, headers and tokens are never recorded.
 */
@Component
public class FlyCallAudit implements FlyCallListener {

    private static final Logger log = LoggerFactory.getLogger(FlyCallAudit.class);
    private static final String ACTOR = "provisioner-service";

    private final JdbcClient jdbc;
    private final TeamAddresses addresses;

    FlyCallAudit(JdbcClient jdbc, TeamAddresses addresses) {
        this.jdbc = jdbc;
        this.addresses = addresses;
    }

    @Override
    public void called(String endpoint, String method, String path, int status, Duration duration, String error) {
        try {
            jdbc.sql("""
                    insert into fly_call (actor, team_id, endpoint, method, path, status, duration_ms, error)
                    values (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(ACTOR, teamOf(path), endpoint, method, path, status, (int) duration.toMillis(), error)
                    .update();
        } catch (DataAccessException e) {
            // the audit must not turn a successful Fly call into a failed reconcile
            log.warn(
                    "Could not audit Fly call {} {}: {}",
                    method,
                    path,
                    e.getMostSpecificCause().getMessage());
        }
    }

    private String teamOf(String path) {
        String apps = "/v1/apps/";
        if (!path.startsWith(apps)) {
            return null;
        }
        String rest = path.substring(apps.length());
        int slash = rest.indexOf('/');
        return addresses
                .teamIdOfApp(slash < 0 ? rest : rest.substring(0, slash))
                .orElse(null);
    }

    public record FlyCallRecord(
            Instant at, String endpoint, String method, String path, int status, int durationMs, String error) {}

    public List<FlyCallRecord> recent(String teamId, int limit) {
        return jdbc.sql("""
                select at, endpoint, method, path, status, duration_ms, error from fly_call
                where team_id = ? order by id desc limit ?""")
                .params(teamId, limit)
                .query((rs, row) -> new FlyCallRecord(
                        rs.getTimestamp("at").toInstant(),
                        rs.getString("endpoint"),
                        rs.getString("method"),
                        rs.getString("path"),
                        rs.getInt("status"),
                        rs.getInt("duration_ms"),
                        rs.getString("error")))
                .list();
    }

    public int count(String endpoint) {
        return jdbc.sql("select count(*) from fly_call where endpoint = ?")
                .param(endpoint)
                .query(Integer.class)
                .single();
    }
}
