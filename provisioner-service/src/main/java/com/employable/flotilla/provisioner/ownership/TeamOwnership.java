package com.employable.flotilla.provisioner.ownership;

import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Which teams this instance works on. With several instances, a team belongs to the instance Kafka assigns the
 * partition of the team lifecycle topic its id is keyed to (Kafka's default partitioner: murmur2 of the key): its
 * events arrive there in order, and so its reconciles, requeues, retries, resyncs and observations run there too.
 * Partition 0's owner also runs the fleet's singletons (the orphan sweep).
 *
 * <p>Every unit of work on a team is entered here and left when done. A revocation first stops new work for the
 * revoked partitions, then waits until the work in flight on them has ended; only then does Kafka hand the
 * partitions to another instance, so a team is never worked on by two instances at once (no double), and the new
 * owner resyncs its teams as soon as it gets them (no gap).
 *
 * <p>With {@code own-teams-by-partition} off (one instance, or an instance without the lifecycle listener) every
 * team is owned.
 */
@Component
public class TeamOwnership {

    private static final Logger log = LoggerFactory.getLogger(TeamOwnership.class);
    /** The in-flight key of every team when ownership is not by partition. */
    private static final int EVERYTHING = -1;

    private final boolean byPartition;
    private final Set<Integer> owned = new HashSet<>();
    private final Map<Integer, Integer> inFlight = new HashMap<>();
    private int partitions;

    public TeamOwnership(ProvisionerProperties properties) {
        this.byPartition = properties.ownTeamsByPartition();
    }

    /** Work entered on a team (or a singleton); close it when done. */
    public final class Work implements AutoCloseable {
        private final int partition;
        private boolean closed;

        private Work(int partition) {
            this.partition = partition;
        }

        @Override
        public void close() {
            synchronized (TeamOwnership.this) {
                if (!closed) {
                    closed = true;
                    inFlight.merge(partition, -1, Integer::sum);
                    TeamOwnership.this.notifyAll();
                }
            }
        }
    }

    public synchronized boolean owns(String teamId) {
        return !byPartition || (partitions > 0 && owned.contains(partitionOf(teamId, partitions)));
    }

    /** Whether this instance runs the fleet's singletons: it owns partition 0 (or every team). */
    public synchronized boolean runsSingletons() {
        return !byPartition || owned.contains(0);
    }

    /** Enters work on the team, if this instance owns it. */
    public synchronized Optional<Work> enter(String teamId) {
        if (!byPartition) {
            return Optional.of(open(EVERYTHING));
        }
        if (partitions == 0) {
            return Optional.empty();
        }
        int partition = partitionOf(teamId, partitions);
        return owned.contains(partition) ? Optional.of(open(partition)) : Optional.empty();
    }

    /** Enters a singleton's work (the orphan sweep), if this instance runs them. */
    public synchronized Optional<Work> enterSingleton() {
        if (!byPartition) {
            return Optional.of(open(EVERYTHING));
        }
        return owned.contains(0) ? Optional.of(open(0)) : Optional.empty();
    }

    /** Partitions assigned to this instance (in addition to those it has), of a topic of {@code count}. */
    public synchronized void assigned(Collection<Integer> added, int count) {
        if (!byPartition) {
            return;
        }
        if (count != partitions && partitions != 0) {
            log.warn(
                    "Team lifecycle topic has {} partitions now, {} before: teams move between instances",
                    count,
                    partitions);
        }
        partitions = count;
        owned.addAll(added);
        log.info("Owning team partitions {} of {}", owned, partitions);
    }

    /**
     * Partitions taken from this instance: no new work starts on their teams, and this returns once the work in
     * flight on them has ended.
     */
    public void revoked(Collection<Integer> removed) {
        if (!byPartition || removed.isEmpty()) {
            return;
        }
        synchronized (this) {
            owned.removeAll(removed);
            boolean interrupted = false;
            while (removed.stream().anyMatch(partition -> inFlight.getOrDefault(partition, 0) > 0)) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            log.info("Handed over team partitions {}; owning {}", removed, owned);
        }
    }

    /** Whether the team is keyed to one of the given partitions. */
    public synchronized boolean inPartitions(String teamId, Collection<Integer> some) {
        return !byPartition || (partitions > 0 && some.contains(partitionOf(teamId, partitions)));
    }

    /** Kafka's default partitioner for a String key: where employable's events for the team land. */
    public static int partitionOf(String teamId, int partitions) {
        return Utils.toPositive(Utils.murmur2(teamId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private Work open(int partition) {
        inFlight.merge(partition, 1, Integer::sum);
        return new Work(partition);
    }
}
