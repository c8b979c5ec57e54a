package com.employable.flotilla.health.support;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.EventJson;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.registry.RegistryEntry;
import com.employable.flotilla.common.testsupport.EventFixtures;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Publishes registry records as the registry-service does (through its outbox: binary-mode CloudEvents keyed by
 * team), starting from the recorded example of {@code registry.entry.v1}.
 */
public final class RegistryFeed {

    private RegistryFeed() {
    }

    /** A unique team id for one test. */
    public static String team(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Publishes an entry for {@code teamId} with one machine per {@code machineId:state} pair. */
    public static void entry(String teamId, long version, String status, String url, String... machines) {
        ObjectNode entry = EventFixtures.tree(RegistryEntry.TYPE);
        entry.put("teamId", teamId);
        entry.put("version", version);
        entry.put("status", status);
        entry.put("updatedAt", Instant.now().toString());
        ObjectNode endpoint = (ObjectNode) entry.get("endpoint");
        endpoint.put("url", url);
        endpoint.remove("privateUrl");
        ArrayNode list = entry.putArray("machines");
        for (String machine : machines) {
            String[] idAndState = machine.split(":");
            list.addObject().put("machineId", idAndState[0]).put("state", idAndState[1]).put("health", "unknown");
        }
        send(teamId, EventJson.MAPPER.writeValueAsBytes(entry));
    }

    /** The team is gone: a tombstone (null value) on the compacted topic. */
    public static void tombstone(String teamId) {
        send(teamId, null);
    }

    private static void send(String teamId, byte[] value) {
        ProducerRecord<String, byte[]> record = CloudEventCodec.toRecord(Topics.REGISTRY_NAME, teamId,
                UUID.randomUUID().toString(), RegistryEntry.TYPE, "flotilla/registry", Instant.now(), value);
        TopicProbe.send(TestKafka.bootstrapServers(), List.of(record));
    }
}
