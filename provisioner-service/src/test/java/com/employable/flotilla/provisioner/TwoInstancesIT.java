package com.employable.flotilla.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.CloudEventHeaders;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.MachineStateChanged;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import com.employable.flotilla.common.events.server.ServerProvisioned;
import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.common.testsupport.TestPostgres;
import com.employable.flotilla.common.testsupport.TopicProbe;
import com.employable.flotilla.provisioner.audit.FlyCallAudit;
import com.employable.flotilla.provisioner.fly.FlyMachines;
import com.employable.flotilla.provisioner.fly.FlyModel.Machine;
import com.employable.flotilla.provisioner.support.LocalFlyProcess;
import com.employable.flotilla.provisioner.support.ProvisionerInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Two provisioner instances in one consumer group over one burst of teams, on a real broker of their own (so no other
 * test's provisioner reads these events), one PostgreSQL database and local-fly: the second instance joins while the
 * first is provisioning, then the first leaves while the second is. Teams are handed over through the lifecycle
 * topic's partitions, so every machine slot is created exactly once (Fly's list and the provisioner's Fly audit
 * agree, and no machine was ever destroyed as surplus), every team converges and is announced exactly once.
 */
class TwoInstancesIT {

    private static final CloudEventCodec EMPLOYABLE = new CloudEventCodec("employable/test");
    private static final Duration CONVERGE = Duration.ofSeconds(90);

    private final String org = "twins-" + UUID.randomUUID().toString().substring(0, 8);
    private EmbeddedKafkaKraftBroker broker;
    private TopicProbe outcomes;

    @BeforeEach
    void broker() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.afterPropertiesSet();
    }

    @AfterEach
    void stopBroker() {
        if (outcomes != null) {
            outcomes.close();
        }
        broker.destroy();
    }

    @Test
    void twoInstancesOverOneBurstCreateEachMachineSlotOnceAndAnnounceEachTeamOnce() {
        TestPostgres.TestDatabase database = TestPostgres.newDatabase("two_instances");
        String bootstrap = broker.getBrokersAsString();
        Map<String, Object> settings = new HashMap<>();
        settings.put("spring.kafka.bootstrap-servers", bootstrap);
        settings.put("spring.kafka.listener.auto-startup", "true");
        settings.put("flotilla.provisioner.own-teams-by-partition", "true");
        settings.put("flotilla.provisioner.workers", "4");
        // the machine's PostgreSQL is shared: a small pool per instance
        settings.put("spring.datasource.hikari.maximum-pool-size", "5");
        settings.put("flotilla.provisioner.resync-interval", "5s");
        settings.put("flotilla.provisioner.observe-interval", "2s");
        Map<String, String> plans = new HashMap<>();
        IntStream.range(0, 16)
                .forEach(i -> plans.put(
                        "twin" + i + "-" + UUID.randomUUID().toString().substring(0, 6),
                        i % 2 == 0 ? "business" : "starter"));
        List<String> teams = plans.keySet().stream().sorted().toList();

        ConfigurableApplicationContext first = ProvisionerInstance.start(database, org, settings);
        ConfigurableApplicationContext second = null;
        try {
            outcomes = TopicProbe.reading(bootstrap, Topics.SERVER_LIFECYCLE_NAME);
            publish(bootstrap, teams.subList(0, 8), plans);
            // the second instance joins while the first provisions: partitions move to it mid-burst
            second = ProvisionerInstance.start(database, org, settings);
            publish(bootstrap, teams.subList(8, 16), plans);
            // both provision; then the first leaves mid-burst and the second takes over its teams
            outcomes.await(record -> type(record).equals(ServerProvisioned.TYPE), 10, CONVERGE);
            first.close();

            outcomes.await(record -> type(record).equals(ServerProvisioned.TYPE), teams.size(), CONVERGE);
            List<ConsumerRecord<String, byte[]>> published = outcomes.drain(record -> true, Duration.ofSeconds(3));

            Map<String, Long> provisioned = published.stream()
                    .filter(record -> type(record).equals(ServerProvisioned.TYPE))
                    .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
            assertThat(provisioned)
                    .as("every team announced exactly once")
                    .containsOnlyKeys(teams)
                    .allSatisfy((team, count) -> assertThat(count).isOne());
            List<String> transitions = published.stream()
                    .filter(record -> type(record).equals(MachineStateChanged.TYPE))
                    .map(record -> (MachineStateChanged) decode(record))
                    .map(change -> change.machineId() + " " + change.from() + ">" + change.to() + "@" + change.at())
                    .toList();
            assertThat(transitions).as("no state change published twice").doesNotHaveDuplicates();

            var fly = new FlyMachines(LocalFlyProcess.operatorClient(org));
            // the audit is written off the reconcile's thread: everything audited so far, written
            assertThat(second.getBean(FlyCallAudit.class).flush(Duration.ofSeconds(10)))
                    .isTrue();
            var audit = JdbcClient.create(
                    new DriverManagerDataSource(database.jdbcUrl(), database.user(), database.password()));
            for (String team : teams) {
                String app = "flotilla-team-" + team;
                int slots = "business".equals(plans.get(team)) ? 2 : 1;
                List<Machine> machines = fly.list(app);
                assertThat(machines)
                        .as("machines of %s on Fly", team)
                        .hasSize(slots)
                        .extracting(machine -> machine.metadata().get("flotilla_create_key"))
                        .doesNotHaveDuplicates();
                Map<String, Long> calls = audit
                        .sql("""
                        select endpoint, count(*) from provisioner.fly_call
                        where path like ? and endpoint in ('machines.create', 'machines.delete')
                          and status between 200 and 299
                        group by endpoint""")
                        .param("/v1/apps/" + app + "/machines%")
                        .query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
                        .list()
                        .stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
                assertThat(calls)
                        .as("Fly calls of %s in the audit: one create per slot, no surplus destroyed", team)
                        .isEqualTo(Map.of("machines.create", (long) slots));
            }
        } finally {
            if (second != null) {
                second.close();
            }
            first.close();
        }
    }

    private static void publish(String bootstrap, List<String> teams, Map<String, String> plans) {
        TopicProbe.send(
                bootstrap,
                teams.stream()
                        .map(team -> new TeamCreated(team, 1, team, plans.get(team), "iad", Instant.now()))
                        .map(event -> CloudEventCodec.toRecord(
                                Topics.TEAM_LIFECYCLE, EMPLOYABLE.envelope(Topics.TEAM_LIFECYCLE, event)))
                        .toList());
    }

    private static String type(ConsumerRecord<String, byte[]> record) {
        return CloudEventCodec.header(record.headers(), CloudEventHeaders.TYPE).orElse("");
    }

    @SuppressWarnings("unchecked")
    private static ServerLifecycleEvent decode(ConsumerRecord<String, byte[]> record) {
        return ((EventEnvelope<ServerLifecycleEvent>) CloudEventCodec.decode(record)).data();
    }
}
