package com.employable.flotilla.provisioner.pool;

import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.pool.PoolEntry.State;
import com.employable.flotilla.provisioner.reconcile.TeamFly;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the pool at its targets, one tick at a time (never two at once), in the blueprint's order: recycle entries of
 * an old image, destroy discarded entries, repair entries a crash left half-built, refill each region up to its target
 * within its refill rate; and, every resync interval, check that ready entries still have their stopped machine and
 * sweep pool apps nobody knows. Pool machines are never reported as a team's (no {@code machine.state-changed}): they
 * are the platform's cost until a claim.
 */
@Component
class PoolMaintainer {

    private static final Logger log = LoggerFactory.getLogger(PoolMaintainer.class);
    private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PoolEntries entries;
    private final PoolBuilder builder;
    private final PoolSweep sweep;
    private final TeamFly fly;
    private final TeamAddresses addresses;
    private final PoolProperties properties;
    private final String image;
    private final Duration resyncInterval;
    private final PoolMetrics metrics;
    private final TransactionTemplate transactions;
    private final Clock clock;
    /** Entries this instance is building now: a creating row not among them and past the timeout was abandoned. */
    private final Set<String> building = ConcurrentHashMap.newKeySet();

    private final Map<String, RefillBudget> budgets = new HashMap<>();
    private Instant nextResync = Instant.MIN;

    PoolMaintainer(
            PoolEntries entries,
            PoolBuilder builder,
            PoolSweep sweep,
            TeamFly fly,
            TeamAddresses addresses,
            PoolProperties properties,
            ProvisionerProperties provisioner,
            PoolMetrics metrics,
            TransactionTemplate transactions,
            Clock clock) {
        this.entries = entries;
        this.builder = builder;
        this.sweep = sweep;
        this.fly = fly;
        this.addresses = addresses;
        this.properties = properties;
        this.image = provisioner.image();
        this.resyncInterval = provisioner.resyncInterval();
        this.metrics = metrics;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** One tick; builds go to {@code builds} (a pool of threads in the service, the caller's thread in tests). */
    synchronized void maintain(Executor builds) {
        Instant now = clock.instant();
        if (!now.isBefore(nextResync)) {
            nextResync = now.plus(resyncInterval);
            validateReady();
            sweep.sweep();
        }
        recycle();
        repairAbandoned(now);
        destroyDiscarded();
        for (Planned entry : refill(now)) {
            building.add(entry.id());
            builds.execute(() -> {
                try {
                    builder.build(entry.id(), entry.app(), entry.region());
                } finally {
                    building.remove(entry.id());
                }
            });
        }
        reportReady();
    }

    /** The ready entries per region, from the shared table: every instance reports them, maintaining or not. */
    void reportReady() {
        var ready = new HashMap<String, Integer>();
        entries.inState(State.READY).forEach(entry -> ready.merge(entry.region(), 1, Integer::sum));
        properties.targets().keySet().forEach(region -> metrics.ready(region, ready.getOrDefault(region, 0)));
    }

    /** Ready entries of another image than the configured one are replaced: the pool follows the image. */
    private void recycle() {
        for (PoolEntry entry : entries.inState(State.READY)) {
            if (!image.equals(entry.image()) && entries.discard(entry.id(), "image changed")) {
                log.info("Pool entry {} runs {}, not {}: recycled", entry.appName(), entry.image(), image);
                metrics.discarded("image-changed");
            }
        }
    }

    /** A creating entry nobody here builds, unchanged past the timeout, was left by a crash: destroyed, replaced. */
    private void repairAbandoned(Instant now) {
        Instant before = now.minus(properties.creatingTimeout());
        for (PoolEntry entry : entries.inState(State.CREATING)) {
            if (!building.contains(entry.id())
                    && !entry.updatedAt().isAfter(before)
                    && entries.discard(entry.id(), "abandoned while creating")) {
                log.warn("Pool entry {} was left half-built (a crash?): destroyed", entry.appName());
                metrics.discarded("abandoned");
            }
        }
    }

    private void destroyDiscarded() {
        for (PoolEntry entry : entries.inState(State.DISCARDING)) {
            if (!building.contains(entry.id())) {
                builder.destroy(entry.id(), entry.appName());
            }
        }
    }

    private record Planned(String id, String app, String region) {}

    /** Rows written as creating (before anything on Fly), under a lock so two instances never overfill a region. */
    private List<Planned> refill(Instant now) {
        if (!properties.enabled() || properties.targets().isEmpty()) {
            return List.of();
        }
        return transactions.execute(status -> {
            entries.lockRefill();
            Map<String, Integer> available = entries.available(image);
            var planned = new ArrayList<Planned>();
            properties.targets().forEach((region, target) -> {
                int shortfall = target - available.getOrDefault(region, 0);
                RefillBudget budget =
                        budgets.computeIfAbsent(region, key -> new RefillBudget(properties.refillPerMinute(), now));
                for (int i = 0; i < shortfall && budget.take(now); i++) {
                    String id = newId();
                    String app = addresses.poolAppName(id);
                    entries.insertCreating(id, app, region, image);
                    planned.add(new Planned(id, app, region));
                }
            });
            return planned;
        });
    }

    /** A ready entry whose machine is gone or running (out of band) is no longer what a claim expects. */
    private void validateReady() {
        for (PoolEntry entry : entries.inState(State.READY)) {
            try {
                Optional<Machine> machine = fly.machines(entry.appName()).stream()
                        .filter(found -> found.id().equals(entry.machineId()))
                        .findFirst();
                String state = machine.map(Machine::state).orElse("missing");
                if (!"stopped".equals(state)
                        && !"suspended".equals(state)
                        && entries.discard(entry.id(), "machine " + state)) {
                    log.warn("Pool entry {}: machine {} is {}: replaced", entry.appName(), entry.machineId(), state);
                    metrics.discarded("invalid");
                }
            } catch (RuntimeException e) {
                log.debug("Pool entry {} not validated now: {}", entry.appName(), e.getMessage());
            }
        }
    }

    static String newId() {
        var id = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            id.append(ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)]);
        }
        return id.toString();
    }

    /**
     * New entries per region: a minute's rate spread evenly, with Fly's documented burst of 3 at most, so a refill
     * never asks Fly for app creates faster than the configured rate.
     */
    static final class RefillBudget {
        private final double perSecond;
        private final double burst;
        private double tokens;
        private Instant last;

        RefillBudget(int perMinute, Instant now) {
            this.perSecond = perMinute / 60.0;
            this.burst = Math.min(3, perMinute);
            this.tokens = burst;
            this.last = now;
        }

        boolean take(Instant now) {
            double elapsed = Math.max(0, Duration.between(last, now).toMillis() / 1000.0);
            tokens = Math.min(burst, tokens + elapsed * perSecond);
            last = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
