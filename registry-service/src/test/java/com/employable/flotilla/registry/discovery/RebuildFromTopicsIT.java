package com.employable.flotilla.registry.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.events.registry.ServerStatus;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TestPostgres;
import com.employable.flotilla.registry.RegistryApplication;
import com.employable.flotilla.registry.support.Publish;
import com.employable.flotilla.registry.support.RegistryIntegrationTest;
import com.employable.flotilla.registry.support.TeamFront;
import com.employable.flotilla.registry.support.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A second registry with an empty database and its own consumer group reads the topics from the beginning and ends
 * with the same table as the registry that saw the events live, with versions above the ones published before.
 */
class RebuildFromTopicsIT extends RegistryIntegrationTest {

    @Autowired
    ServerDirectory live;

    @Test
    void rebuildingTheTableFromTheTopicsGivesTheSameTable() {
        String degraded = newTeam("rebuilt");
        String deprovisioned = newTeam("rebuilt-gone");
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(
                DiscoveryIT.shuffledWithRepeats(DiscoveryIT.records(DiscoveryIT.history(degraded)), new Random(7)));
        var gone = new ServerEvents(deprovisioned);
        records.add(Publish.record(gone.provisioned(1, 1, "m1"), ServerEvents.at(1)));
        records.add(Publish.record(gone.deprovisioned(2, 5), ServerEvents.at(5)));
        Publish.all(records);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> live.find(degraded)
                        .map(s -> s.view().equals(DiscoveryIT.replayInMemory(DiscoveryIT.history(degraded))))
                        .orElse(false));
        RegisteredServer before = live.find(degraded).orElseThrow();

        try (ConfigurableApplicationContext rebuilt = startEmptyRegistry()) {
            ServerDirectory fromScratch = rebuilt.getBean(ServerDirectory.class);

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> fromScratch
                            .find(degraded)
                            .map(s -> s.view().equals(before.view()))
                            .orElse(false));
            RegisteredServer after = fromScratch.find(degraded).orElseThrow();
            assertThat(after.view().status()).isEqualTo(ServerStatus.DEGRADED);
            assertThat(after.version())
                    .as("readers keep the highest version: the rebuilt entry must win")
                    .isGreaterThan(before.version());
            assertThat(fromScratch.find(deprovisioned)).isEmpty();
            assertThat(live.find(deprovisioned)).isEmpty();
        }
    }

    private static ConfigurableApplicationContext startEmptyRegistry() {
        var database = TestPostgres.newDatabase("registry_rebuilt");
        // command-line arguments, not builder properties: those are defaults that application.yml would override
        return new SpringApplicationBuilder(RegistryApplication.class)
                .run(
                        "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
                        "--spring.kafka.consumer.group-id=registry-rebuild-" + UUID.randomUUID(),
                        "--spring.datasource.url=" + database.jdbcUrl(),
                        "--spring.datasource.username=" + database.user(),
                        "--spring.datasource.password=" + database.password(),
                        "--server.port=0",
                        "--flotilla.registry.auth.hs256-secret=" + TestTokens.SECRET,
                        "--flotilla.registry.auth.issuer=" + TestTokens.ISSUER,
                        "--flotilla.registry.auth.audience=" + TestTokens.AUDIENCE,
                        "--flotilla.registry.gateway.key=" + GATEWAY_KEY,
                        "--management.server.port=0",
                        // the same derivation as the context whose events it replays
                        "--flotilla.teams.endpoint-url-template=" + TeamFront.endpointUrlTemplate());
    }
}
