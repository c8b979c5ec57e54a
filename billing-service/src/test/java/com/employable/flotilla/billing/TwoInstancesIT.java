package com.employable.flotilla.billing;

import static com.employable.flotilla.billing.support.MachineStates.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.billing.metering.MeteringService;
import com.employable.flotilla.billing.ownership.TeamOwnership;
import com.employable.flotilla.billing.reconciliation.CostRecomputation;
import com.employable.flotilla.billing.support.MachineStates;
import com.employable.flotilla.billing.support.MachineStates.Machine;
import com.employable.flotilla.billing.support.MutableClock;
import com.employable.flotilla.billing.support.Operator;
import com.employable.flotilla.billing.support.Usage;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.Guest;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TestPostgres;
import com.employable.flotilla.common.testsupport.TopicProbe;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two billing instances on one broker and one PostgreSQL, with partitions moving between them while machines run:
 * each team-hour is closed once, by the instance that owns the team's partition at the time, and every team's usage
 * is exactly its recomputation from the machine.state-changed events (no second counted twice, none lost, no
 * adjustment needed). Time is the test's: both instances read one clock it moves.
 */
class TwoInstancesIT {

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** Ten hours ago, so the machine-state times are in the past, as the provisioner reports them. */
    private final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(10, ChronoUnit.HOURS);

    private final MutableClock clock = new MutableClock(hour.plus(Duration.ofMinutes(5)));

    private final TestPostgres.TestDatabase database = TestPostgres.newDatabase("billing_two_instances");

    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    @AfterEach
    void stopInstances() {
        instances.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void eachTeamHourIsClosedOnceByItsOwnerAcrossPartitionMovesWithNoSecondLostOrCountedTwice() throws Exception {
        int partitions = partitions();
        ConfigurableApplicationContext a = start();
        await().atMost(Duration.ofSeconds(60)).until(() -> owned(a).size() == partitions);
        JdbcClient jdbc = a.getBean(JdbcClient.class);

        // one team on every partition, each with one machine
        Map<Integer, Machine> byPartition = new TreeMap<>();
        for (int i = 0; byPartition.size() < partitions; i++) {
            String team = "two-" + run + "-" + i;
            byPartition.putIfAbsent(
                    TeamOwnership.partitionOf(team, partitions),
                    new Machine(team, "flotilla-team-" + team, "m1", "fra", new Guest("performance", 2, 4096), 10));
        }
        List<Machine> machines = List.copyOf(byPartition.values());
        List<EventEnvelope<ServerLifecycleEvent>> all = new ArrayList<>();

        // 1. A alone: the machines start at :10 and A closes the first hour
        publish(all, machines, null, "started", minutes(10));
        awaitStored(jdbc, partitions);
        clock.set(minutes(65));
        a.getBean(MeteringService.class).closeDue();
        assertThat(closedTeams(jdbc, hour)).hasSize(partitions);

        // 2. B joins: half the partitions move to it while the machines run; they suspend at 1:20
        ConfigurableApplicationContext b = start();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !owned(b).isEmpty() && owned(a).size() + owned(b).size() == partitions);
        Set<Integer> ownedByB = owned(b);
        assertThat(owned(a)).doesNotContainAnyElementsOf(ownedByB);
        publish(all, machines, "started", "suspended", minutes(80));
        awaitStored(jdbc, 2 * partitions);

        // the second hour is over: A closes its teams only, B the rest
        clock.set(minutes(125));
        Instant second = hour.plus(Duration.ofHours(1));
        a.getBean(MeteringService.class).closeDue();
        Set<String> teamsOfB = new HashSet<>();
        ownedByB.forEach(partition -> teamsOfB.add(byPartition.get(partition).team()));
        assertThat(closedTeams(jdbc, second))
                .hasSize(partitions - ownedByB.size())
                .doesNotContainAnyElementsOf(teamsOfB);
        b.getBean(MeteringService.class).closeDue();
        assertThat(closedTeams(jdbc, second)).hasSize(partitions);

        // 3. the machines start again at 2:05; then B leaves and its partitions move back to A mid-meter
        publish(all, machines, "suspended", "started", minutes(125));
        awaitStored(jdbc, 3 * partitions);
        b.close();
        await().atMost(Duration.ofSeconds(60)).until(() -> owned(a).size() == partitions);
        publish(all, machines, "started", "stopped", minutes(210));
        publish(all, machines, "stopped", "destroyed", minutes(250));
        awaitStored(jdbc, 5 * partitions);
        clock.set(minutes(305));
        a.getBean(MeteringService.class).closeDue();

        var recomputed = CostRecomputation.withBillingPrices().recompute(MachineStates.observed(all), minutes(305));
        try (var usage = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.BILLING_USAGE_NAME)) {
            for (Machine machine : machines) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> Usage.of(usage.drain(r -> true, Duration.ofMillis(200)), machine.team())
                                        .hours()
                                        .size()
                                == 5);
            }
            var published = usage.drain(r -> true, Duration.ofSeconds(2));
            for (Machine machine : machines) {
                Usage finance = Usage.of(published, machine.team());
                CostRecomputation.TeamCost expected = recomputed.get(machine.team());
                assertThat(finance.recorded()).as("each hour recorded once").isEqualTo(5);
                assertThat(finance.adjusted())
                        .as("no hour closed before its states were stored")
                        .isZero();
                assertThat(finance.computeSeconds())
                        .isEqualTo(expected.computeSeconds())
                        .isEqualTo((70 + 85) * 60);
                assertThat(finance.rootfsSeconds())
                        .isEqualTo(expected.asleepSeconds())
                        .isEqualTo((45 + 40) * 60);
                assertThat(finance.total().subtract(expected.amount()).abs())
                        .isLessThanOrEqualTo(new BigDecimal("0.0000005").multiply(BigDecimal.valueOf(finance.lines())));
                assertThat(CostRecomputation.agreesToTheCent(finance.total(), expected.amount()))
                        .isTrue();
            }
        }
        assertThat(jdbc.sql("select count(*) from usage_hour")
                        .query(Integer.class)
                        .single())
                .isEqualTo(5 * partitions);
    }

    private ConfigurableApplicationContext start() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(BillingApplication.class)
                .initializers(created -> created.getBeanFactory().registerSingleton("testClock", clock))
                .run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--flotilla.operator.token=" + Operator.TOKEN,
                        "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
                        "--spring.datasource.url=" + database.jdbcUrl(),
                        "--spring.datasource.username=" + database.user(),
                        "--spring.datasource.password=" + database.password(),
                        // the test closes hours itself, on the instance it means
                        "--flotilla.billing.close-interval=1h",
                        "--flotilla.billing.close-grace=1m");
        instances.add(context);
        return context;
    }

    private void publish(
            List<EventEnvelope<ServerLifecycleEvent>> all, List<Machine> machines, String from, String to, Instant at) {
        List<EventEnvelope<ServerLifecycleEvent>> changes = new ArrayList<>();
        machines.forEach(machine -> changes.add(machine.change(from, to, at)));
        all.addAll(changes);
        TopicProbe.send(TestKafka.bootstrapServers(), MachineStates.records(changes));
    }

    private Instant minutes(int minutes) {
        return hour.plus(Duration.ofMinutes(minutes));
    }

    private static Set<Integer> owned(ConfigurableApplicationContext instance) {
        return instance.getBean(TeamOwnership.class).owned();
    }

    private static void awaitStored(JdbcClient jdbc, int count) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> jdbc.sql("select count(*) from machine_state")
                                .query(Integer.class)
                                .single()
                        == count);
    }

    private static List<String> closedTeams(JdbcClient jdbc, Instant hourStart) {
        return jdbc.sql("select team_id from usage_hour where hour_start = ?")
                .param(Timestamp.from(hourStart))
                .query(String.class)
                .list();
    }

    private static int partitions() throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            var names = admin.listTopics().names().get();
            if (!names.contains(Topics.SERVER_LIFECYCLE_NAME)) {
                return Topics.SERVER_LIFECYCLE.partitions();
            }
            return admin.describeTopics(List.of(Topics.SERVER_LIFECYCLE_NAME))
                    .allTopicNames()
                    .get()
                    .get(Topics.SERVER_LIFECYCLE_NAME)
                    .partitions()
                    .size();
        }
    }
}
