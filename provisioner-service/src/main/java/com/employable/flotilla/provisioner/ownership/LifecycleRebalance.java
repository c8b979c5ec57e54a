package com.employable.flotilla.provisioner.ownership;

import com.employable.flotilla.common.events.Topics;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.stereotype.Component;

/**
 * Follows the team lifecycle listener's partition assignment: revoked (or lost) partitions are drained before the
 * rebalance goes on (so the next owner starts after this one stopped), assigned ones are owned and their teams
 * reconciled at once (so nothing waits for the next resync). Runs on the listener's consumer thread, inside the
 * rebalance.
 */
@Component
public class LifecycleRebalance implements ConsumerAwareRebalanceListener {

    private final TeamOwnership ownership;
    private final PickUp pickUp;

    LifecycleRebalance(TeamOwnership ownership, PickUp pickUp) {
        this.ownership = ownership;
        this.pickUp = pickUp;
    }

    @Override
    public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        ownership.revoked(lifecycle(partitions));
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        ownership.revoked(lifecycle(partitions));
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        List<Integer> added = lifecycle(partitions);
        if (added.isEmpty()) {
            return;
        }
        ownership.assigned(
                added, consumer.partitionsFor(Topics.TEAM_LIFECYCLE_NAME).size());
        pickUp.pickUp(added);
    }

    private static List<Integer> lifecycle(Collection<TopicPartition> partitions) {
        return partitions.stream()
                .filter(partition -> Topics.TEAM_LIFECYCLE_NAME.equals(partition.topic()))
                .map(TopicPartition::partition)
                .toList();
    }
}
