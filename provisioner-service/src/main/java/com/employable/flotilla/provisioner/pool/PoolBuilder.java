package com.employable.flotilla.provisioner.pool;

import com.employable.flotilla.provisioner.fly.FlyApiException;
import com.employable.flotilla.provisioner.fly.FlyModel.App;
import com.employable.flotilla.provisioner.fly.FlyModel.CreateMachineRequest;
import com.employable.flotilla.provisioner.fly.FlyModel.ExecResult;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.reconcile.TeamFly;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Builds one pool entry, as Fly's warm-pool blueprint does: its app on a network of its own, a Flycast address in that
 * network, throw-away secrets, one machine of the team server image; the
 * machine must reach {@code started} and its server answer its check, then it is suspended (paying only for its root
 * filesystem and its memory snapshot; a resume takes a few hundred ms) and the entry is ready. Any failure discards the entry: its app is deleted (which cascades to the
 * machine) and the refill builds another. A claim never sees an entry before it is ready.
 */
@Component
class PoolBuilder {

    private static final Logger log = LoggerFactory.getLogger(PoolBuilder.class);
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(10);

    private final TeamFly fly;
    private final PoolEntries entries;
    private final PoolMachine machine;
    private final PoolMetrics metrics;
    private final Duration checkTimeout;

    PoolBuilder(TeamFly fly, PoolEntries entries, PoolMachine machine, PoolMetrics metrics, PoolProperties properties) {
        this.fly = fly;
        this.entries = entries;
        this.machine = machine;
        this.metrics = metrics;
        this.checkTimeout = properties.checkTimeout();
    }

    /** Builds the entry whose row was written as creating; on any failure the entry is discarded. */
    void build(String id, String app, String region) {
        String stage = "app";
        try {
            createApp(app);
            stage = "ips";
            // only the private address in its own network: the public ones come with a claim (the team's reconcile
            // assigns them), so nothing outside reaches an unclaimed machine
            fly.assignIp(app, "private_v6", app);
            stage = "secrets";
            fly.setSecrets(app, PoolMachine.placeholderSecrets());
            stage = "machine";
            Machine created =
                    fly.createMachine(app, new CreateMachineRequest(null, region, machine.config(id, app), null, null));
            entries.machineCreated(id, created.id(), created.region());
            stage = "check";
            if (!fly.waitFor(app, created.id(), "started", checkTimeout)) {
                throw new CheckFailed("machine " + created.id() + " did not reach started within " + checkTimeout);
            }
            ExecResult answer = fly.exec(app, created.id(), PoolMachine.CHECK, EXEC_TIMEOUT);
            if (!answer.succeeded()) {
                throw new CheckFailed("team server did not answer /healthz (exit " + answer.exitCode() + ")");
            }
            stage = "suspend";
            fly.suspend(app, created.id(), null);
            if (!fly.waitFor(app, created.id(), "suspended", checkTimeout)) {
                throw new CheckFailed("machine " + created.id() + " did not suspend within " + checkTimeout);
            }
            if (entries.ready(id)) {
                metrics.built(region);
                log.info("Pool entry {} ready in {} (machine {})", app, created.region(), created.id());
            } else {
                // discarded meanwhile (an image change, a repair): whoever discarded it deletes the app
                log.info("Pool entry {} was discarded while it was built", app);
            }
        } catch (RuntimeException e) {
            String reason = (e instanceof CheckFailed ? "check failed: " : stage + " failed: ") + e.getMessage();
            log.warn("Pool entry {} in {} discarded: {}", app, region, reason);
            metrics.discarded(e instanceof CheckFailed ? "check-failed" : "build-failed");
            entries.discard(id, reason);
            if (e instanceof NotOurs) {
                // the name belongs to an app this entry did not make: never delete it
                entries.forget(id);
            } else {
                destroy(id, app);
            }
        }
    }

    /** Deletes a discarded entry's app (cascading to its machine and addresses), then the entry. */
    void destroy(String id, String app) {
        try {
            fly.deleteApp(app);
            entries.forget(id);
        } catch (RuntimeException e) {
            // the entry stays discarding: the next maintenance tick deletes it again
            log.warn("Could not delete discarded pool app {}: {}", app, e.getMessage());
        }
    }

    private void createApp(String app) {
        try {
            fly.createApp(app, app);
            return;
        } catch (FlyApiException e) {
            if (!(e.status() == 422 || "name_taken".equals(e.flyStatus()) || e.ambiguous())) {
                throw e;
            }
        }
        // a repeat after a lost answer: ours only if it is on its own network
        App found = fly.app(app).orElseThrow(() -> new NotOurs("app name " + app + " is taken elsewhere"));
        if (!app.equals(found.network())) {
            throw new NotOurs("app " + app + " is on network '" + found.network() + "', not its own");
        }
    }

    /** The app name is taken by an app this entry did not create. */
    static final class NotOurs extends RuntimeException {
        NotOurs(String message) {
            super(message, null, false, false);
        }
    }

    /** The entry's machine failed its first check: never handed to a team. */
    static final class CheckFailed extends RuntimeException {
        CheckFailed(String message) {
            super(message, null, false, false);
        }
    }
}
