package com.employable.flotilla.provisioner.audit;

import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.provisioner.fly.FlyCallListener;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes every Fly API call to the fly_call table: who (this service), what (action, method, path), when, result.
 * Paths carry app names and machine ids only; bodies, headers and tokens are never recorded. Rows are written in
 * batches off the calling thread ({@link AuditWriter}): a row appears within milliseconds of its call, and a reconcile
 * never waits for the audit.
 */
@Component
public class FlyCallAudit implements FlyCallListener, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(FlyCallAudit.class);
    private static final String ACTOR = "provisioner-service";

    /** Rows waiting at most: a burst's worth of calls (about twenty per team) for a few thousand teams. */
    private static final int QUEUE = 100_000;

    private final JdbcClient jdbc;
    private final TeamAddresses addresses;
    private final AuditWriter writer;

    FlyCallAudit(
            JdbcClient jdbc,
            JdbcTemplate template,
            PlatformTransactionManager transactions,
            TeamAddresses addresses,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.addresses = addresses;
        this.writer = new AuditWriter(template, new TransactionTemplate(transactions), QUEUE);
        Gauge.builder("flotilla.provisioner.audit.dropped", writer, AuditWriter::dropped)
                .description("Fly call audit rows not written (queue full or database error)")
                .register(meters);
    }

    @Override
    public void called(String endpoint, String method, String path, int status, Duration duration, String error) {
        // the audit must not turn a successful Fly call into a failed or slower reconcile
        writer.offer(new AuditWriter.Row(
                Instant.now(), ACTOR, teamOf(path), endpoint, method, path, status, (int) duration.toMillis(), error));
    }

    /** Waits until every call audited so far is written (tests, and readers that must see the latest calls). */
    public boolean flush(Duration timeout) {
        return writer.flush(timeout);
    }

    @Override
    public void destroy() {
        writer.close();
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
        writer.flush(Duration.ofMillis(500));
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
        writer.flush(Duration.ofMillis(500));
        return jdbc.sql("select count(*) from fly_call where endpoint = ?")
                .param(endpoint)
                .query(Integer.class)
                .single();
    }
}
