package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.ownership.TeamOwnership;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.employable.flotilla.provisioner.team.TeamRepository;
import com.employable.flotilla.provisioner.team.TeamRepository.TeamApp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Lists every owned team's machines each {@code observe-interval} (one call per app, within Fly's per-app rate) and
 * publishes their state changes since the last listing ({@link MachineObserver}): a team that converged long ago is
 * still metered as its machines sleep and wake, whether or not anything else reconciles it. Cheap, and safe to
 * overlap with a reconcile's own observation (each transition is published once).
 */
@Component
class FleetObservation implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FleetObservation.class);

    private final TeamRepository teams;
    private final TeamOwnership ownership;
    private final TeamFly fly;
    private final MachineObserver observer;
    private final ProvisionerProperties properties;
    private final Semaphore parallel;
    private final Counter observed;
    private final Counter failed;
    private volatile ScheduledExecutorService ticker;
    private volatile ExecutorService listings;

    FleetObservation(
            TeamRepository teams,
            TeamOwnership ownership,
            TeamFly fly,
            MachineObserver observer,
            ProvisionerProperties properties,
            MeterRegistry meters) {
        this.teams = teams;
        this.ownership = ownership;
        this.fly = fly;
        this.observer = observer;
        this.properties = properties;
        this.parallel = new Semaphore(Math.max(1, properties.workers()));
        this.observed = observations(meters, "observed");
        this.failed = observations(meters, "failed");
    }

    private static Counter observations(MeterRegistry meters, String outcome) {
        return Counter.builder("flotilla.provisioner.observations")
                .tag("outcome", outcome)
                .description("periodic listings of a team's machines for their state changes")
                .register(meters);
    }

    /** One round: every owned live team, at most {@code workers} listings at a time; returns when all are done. */
    void observeAll() {
        List<TeamApp> owned;
        try {
            owned = teams.liveTeamApps().stream()
                    .filter(team -> ownership.owns(team.teamId()))
                    .toList();
        } catch (RuntimeException e) {
            log.warn("Could not read the teams to observe: {}", e.toString());
            return;
        }
        ExecutorService pool = listings;
        if (pool == null) {
            return;
        }
        var done = new java.util.concurrent.CountDownLatch(owned.size());
        for (TeamApp team : owned) {
            try {
                parallel.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pool.execute(() -> {
                try {
                    observe(team);
                } finally {
                    parallel.release();
                    done.countDown();
                }
            });
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void observe(TeamApp team) {
        Optional<TeamOwnership.Work> entered = ownership.enter(team.teamId());
        if (entered.isEmpty()) {
            return;
        }
        try (TeamOwnership.Work work = entered.get()) {
            observer.observe(
                    team.teamId(), team.appName(), TeamReconciler.ours(team.teamId(), fly.machines(team.appName())));
            observed.increment();
        } catch (RuntimeException e) {
            failed.increment();
            log.debug("Observation of team {} failed: {}", team.teamId(), e.toString());
        }
    }

    @Override
    public void start() {
        listings = Executors.newVirtualThreadPerTaskExecutor();
        ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fleet-observation");
            thread.setDaemon(true);
            return thread;
        });
        long every = properties.observeInterval().toMillis();
        ticker.scheduleWithFixedDelay(this::observeAll, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService t = ticker;
        ExecutorService l = listings;
        ticker = null;
        listings = null;
        if (t != null) {
            t.shutdownNow();
        }
        if (l != null) {
            l.shutdown();
            try {
                l.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            l.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return ticker != null;
    }
}
