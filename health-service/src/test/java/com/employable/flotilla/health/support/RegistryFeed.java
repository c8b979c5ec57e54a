package com.employable.flotilla.health.support;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.EventJson;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.registry.RegistryEntry;
import com.employable.flotilla.common.testsupport.EventFixtures;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Publishes registry records as the registry-service does (through its outbox: binary-mode CloudEvents keyed by
 * team, source {@code flotilla/registry}), starting from the recorded example of {@code registry.entry.v1}, with the
 * team's endpoint as configuration derives it ({@link TeamProxy}); or, to play a forger, with any endpoint or source.
 */
public final class RegistryFeed {

    /** The registry topic's producer: the only source the service accepts on it. */
    public static final String REGISTRY_SOURCE = Topics.REGISTRY.producer();

    /** Fly machine ids (14 hex characters), in this order when sorted. */
    public static final String MACHINE = "148e21ea7d0589";

    public static final String SECOND_MACHINE = "3d8d9e1a0c4f72";

    private RegistryFeed() {}

    /** A unique team id for one test. */
    public static String team(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Publishes an entry for {@code teamId} at its derived endpoint (public and private), with one machine per
     * {@code machineId:state} pair.
     */
    public static void entry(String teamId, long version, String status, String... machines) {
        TeamProxy proxy = TeamProxy.shared();
        send(
                teamId,
                REGISTRY_SOURCE,
                value(
                        teamId,
                        null,
                        version,
                        status,
                        proxy.endpointOf(teamId),
                        proxy.privateEndpointOf(teamId),
                        machines));
    }

    /** Publishes an entry naming the team's app (a warm-pool app, or a forger's choice) and the endpoint given. */
    public static void entryInApp(
            String teamId, String app, long version, String status, String url, String... machines) {
        send(teamId, REGISTRY_SOURCE, value(teamId, app, version, status, url, null, machines));
    }

    /** Publishes an entry whose endpoint is whatever the caller says ({@code privateUrl} may be null). */
    public static void entryAt(
            String teamId, long version, String status, String url, String privateUrl, String... machines) {
        send(teamId, REGISTRY_SOURCE, value(teamId, null, version, status, url, privateUrl, machines));
    }

    /** Publishes a well-formed entry at the derived endpoint, but under another {@code ce_source}. */
    public static void entryFrom(String source, String teamId, long version, String status, String... machines) {
        TeamProxy proxy = TeamProxy.shared();
        send(teamId, source, value(teamId, null, version, status, proxy.endpointOf(teamId), null, machines));
    }

    /** The team is gone: a tombstone (null value) on the compacted topic. */
    public static void tombstone(String teamId) {
        send(teamId, REGISTRY_SOURCE, null);
    }

    private static byte[] value(
            String teamId, String app, long version, String status, String url, String privateUrl, String... machines) {
        ObjectNode entry = EventFixtures.tree(RegistryEntry.TYPE);
        entry.put("teamId", teamId);
        if (app != null) {
            entry.put("app", app);
        }
        entry.put("version", version);
        entry.put("status", status);
        entry.put("updatedAt", Instant.now().toString());
        ObjectNode endpoint = (ObjectNode) entry.get("endpoint");
        endpoint.put("url", url);
        if (privateUrl == null) {
            endpoint.remove("privateUrl");
        } else {
            endpoint.put("privateUrl", privateUrl);
        }
        ArrayNode list = entry.putArray("machines");
        for (String machine : machines) {
            String[] idAndState = machine.split(":");
            list.addObject()
                    .put("machineId", idAndState[0])
                    .put("state", idAndState[1])
                    .put("health", "unknown");
        }
        return EventJson.MAPPER.writeValueAsBytes(entry);
    }

    private static void send(String teamId, String source, byte[] value) {
        ProducerRecord<String, byte[]> record = CloudEventCodec.toRecord(
                Topics.REGISTRY_NAME,
                teamId,
                UUID.randomUUID().toString(),
                RegistryEntry.TYPE,
                source,
                Instant.now(),
                value);
        TopicProbe.send(TestKafka.bootstrapServers(), List.of(record));
    }
}
