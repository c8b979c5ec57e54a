package com.employable.flotilla.devstack.trial;

import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.common.events.team.TeamDeleted;
import com.employable.flotilla.devstack.events.TeamLifecycleRecords;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The trial's teams as employable announces them: {@code team.created} at revision 1, {@code team.deleted} at
 * revision 2, so a delete is never overtaken by its own create, even when Ctrl-C lands while the creates go out.
 */
public final class TeamEvents implements AutoCloseable {

    static final String SOURCE = "employable/trial";

    private final KafkaProducer<String, byte[]> producer;

    public TeamEvents(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "flotilla-trial");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** @return when the broker acknowledged it */
    public Instant created(String team, String plan, String region) throws InterruptedException {
        return send(TeamLifecycleRecords.of(
                SOURCE, new TeamCreated(team, 1, "Trial " + team, plan, region, Instant.now())));
    }

    public Instant deleted(String team) throws InterruptedException {
        return send(TeamLifecycleRecords.of(SOURCE, new TeamDeleted(team, 2, Instant.now())));
    }

    private Instant send(org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> record)
            throws InterruptedException {
        try {
            producer.send(record).get();
            return Instant.now();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish to " + record.topic() + ": "
                    + e.getCause().getMessage());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
