package com.employable.flotilla.billing.ownership;

import com.employable.flotilla.common.events.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.stereotype.Component;

/**
 * Which teams this instance owns: those whose partition of {@code flotilla.server.lifecycle.v1} (the team id is the
 * key) Kafka assigned to this instance's machine-state consumer. Only the owner closes a team's hours, so with several
 * instances every team-hour is closed once, by the instance that stores the team's machine states.
 *
 * <p>A partition counts as owned once it is consumed as far as its end was when it was assigned: a new owner first
 * stores what the previous one left unconsumed, so it never closes an hour early for want of states that were
 * already on the topic. On revocation (or loss) the partition stops being owned at once and the revocation waits for a
 * close under way for one of its teams to finish, so the next owner never closes alongside it. Nothing else needs
 * handing over: the open meters are the stored machine states, which every instance shares, and the consumer commits
 * what it stored before the partition moves (whatever it did not commit is stored again, de-duplicated by event id).
 */
@Component
public class TeamOwnership implements ConsumerAwareRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(TeamOwnership.class);

    static final String TOPIC = Topics.SERVER_LIFECYCLE_NAME;

    /** Assigned partitions, by number, with the offset up to which each must be consumed before it counts as owned. */
    private final Map<Integer, Assigned> assigned = new ConcurrentHashMap<>();

    private final Map<Integer, ReentrantLock> closing = new ConcurrentHashMap<>();

    private volatile int partitionCount;

    private static final class Assigned {
        private final long catchUpTo;
        private volatile boolean caughtUp;

        private Assigned(long catchUpTo) {
            this.catchUpTo = catchUpTo;
        }
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        List<TopicPartition> ours =
                partitions.stream().filter(tp -> TOPIC.equals(tp.topic())).toList();
        if (ours.isEmpty()) {
            return;
        }
        partitionCount = consumer.partitionsFor(TOPIC).size();
        Map<TopicPartition, Long> ends = consumer.endOffsets(ours);
        for (TopicPartition partition : ours) {
            assigned.put(partition.partition(), new Assigned(ends.getOrDefault(partition, 0L)));
        }
        caughtUp(consumer);
        log.info(
                "Assigned {} partitions {}; owned (consumed as far as their end when assigned) {}",
                TOPIC,
                numbers(ours),
                owned());
    }

    @Override
    public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        release(partitions, "revoked");
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        release(partitions, "lost");
    }

    /**
     * Marks the assigned partitions consumed as far as their end at assignment as owned. Call on the consumer's thread
     * after a poll's records were stored (or when it idles): the consumer's position is then what has been handled.
     */
    public void progress(Consumer<?, ?> consumer) {
        if (!caughtUp(consumer).isEmpty()) {
            log.info(
                    "Caught up on {} partitions: this instance now closes the hours of their teams; owned {}",
                    TOPIC,
                    owned());
        }
    }

    private Set<Integer> caughtUp(Consumer<?, ?> consumer) {
        Set<TopicPartition> assignment = consumer.assignment();
        Set<Integer> caughtUp = new TreeSet<>();
        assigned.forEach((number, partition) -> {
            TopicPartition topicPartition = new TopicPartition(TOPIC, number);
            if (!partition.caughtUp
                    && assignment.contains(topicPartition)
                    && consumer.position(topicPartition) >= partition.catchUpTo) {
                partition.caughtUp = true;
                caughtUp.add(number);
            }
        });
        return caughtUp;
    }

    /**
     * Runs {@code work} if this instance owns the team, holding the team's partition so a revocation waits for it.
     *
     * @return whether it ran
     */
    public boolean runIfOwner(String teamId, Runnable work) {
        if (partitionCount == 0) {
            return false;
        }
        int partition = partitionOf(teamId, partitionCount);
        ReentrantLock lock = closing.computeIfAbsent(partition, number -> new ReentrantLock());
        lock.lock();
        try {
            Assigned owned = assigned.get(partition);
            if (owned == null || !owned.caughtUp) {
                return false;
            }
            work.run();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The partitions this instance owns now: assigned and caught up. */
    public Set<Integer> owned() {
        Set<Integer> owned = new TreeSet<>();
        assigned.forEach((number, partition) -> {
            if (partition.caughtUp) {
                owned.add(number);
            }
        });
        return owned;
    }

    /** Kafka's default partitioner for a keyed record (murmur2 of the serialized key), which every producer uses. */
    public static int partitionOf(String teamId, int partitions) {
        return Utils.toPositive(Utils.murmur2(teamId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private void release(Collection<TopicPartition> partitions, String how) {
        List<TopicPartition> ours =
                partitions.stream().filter(tp -> TOPIC.equals(tp.topic())).toList();
        for (TopicPartition partition : ours) {
            assigned.remove(partition.partition());
            // a close under way for one of its teams finishes before the partition moves on
            ReentrantLock lock = closing.computeIfAbsent(partition.partition(), number -> new ReentrantLock());
            lock.lock();
            lock.unlock();
        }
        if (!ours.isEmpty()) {
            log.info("{} {} partitions {}; owned now {}", how, TOPIC, numbers(ours), owned());
        }
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        Set<Integer> numbers = new TreeSet<>();
        partitions.forEach(partition -> numbers.add(partition.partition()));
        return numbers;
    }
}
