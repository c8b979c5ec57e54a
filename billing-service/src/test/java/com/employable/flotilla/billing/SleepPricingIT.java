package com.employable.flotilla.billing;

import static com.employable.flotilla.billing.support.MachineStates.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.billing.metering.MachineStateRules;
import com.employable.flotilla.billing.metering.MeteringService;
import com.employable.flotilla.billing.pricing.PriceBooks;
import com.employable.flotilla.billing.reconciliation.CostRecomputation;
import com.employable.flotilla.billing.reconciliation.CostRecomputationCli;
import com.employable.flotilla.billing.support.MachineStates;
import com.employable.flotilla.billing.support.MachineStates.Machine;
import com.employable.flotilla.billing.support.Operator;
import com.employable.flotilla.billing.support.Usage;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.Guest;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.common.testsupport.FlotillaTestProperties;
import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TopicProbe;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Sleeping time is priced at the stopped/suspended price, the root filesystem only: a machine that starts, suspends,
 * starts again, stops and is destroyed is metered, on the real broker and PostgreSQL, as its started seconds at the
 * compute price plus its sleeping seconds at the rootfs price, and what finance received equals an independent
 * recomputation from the machine.state-changed events to the cent (and to half a micro-dollar per line). A machine
 * in a warm-pool app the team claimed is metered like one in the team's own app.
 */
// every context joins the same consumer groups (the listener ids): none may outlive its class and take partitions
@DirtiesContext
@SpringBootTest(
        properties = {
            "flotilla.billing.close-interval=300ms",
            "flotilla.billing.close-grace=1m",
            Operator.TOKEN_PROPERTY
        })
class SleepPricingIT {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        FlotillaTestProperties.register(registry, "billing_sleep_it");
    }

    @Autowired
    MeteringService metering;

    @Test
    void startedSecondsPayComputeAndSleepingSecondsPayOnlyTheRootFilesystem() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(6, ChronoUnit.HOURS);
        // a big machine and a big root filesystem, so a wrong price shows in the cents
        var own = new Machine(
                "sleep-" + run, "flotilla-team-sleep-" + run, "m1", "fra", new Guest("performance", 8, 16384), 50);
        var pooled = new Machine(
                "pooled-" + run, "flotilla-pool-" + run + "beef", "p1", "iad", new Guest("shared", 2, 1024), 20);
        List<EventEnvelope<ServerLifecycleEvent>> events = new ArrayList<>();
        for (Machine machine : List.of(own, pooled)) {
            events.addAll(machine.timeline(
                    at(hour.plus(Duration.ofMinutes(10)), "started"),
                    at(hour.plus(Duration.ofMinutes(80)), "suspended"),
                    at(hour.plus(Duration.ofMinutes(125)), "started"),
                    at(hour.plus(Duration.ofMinutes(210)), "stopped"),
                    at(hour.plus(Duration.ofMinutes(250)), "destroyed")));
        }
        var recomputed = CostRecomputation.withBillingPrices().recompute(MachineStates.observed(events), Instant.now());

        try (var usage = TopicProbe.reading(TestKafka.bootstrapServers(), Topics.BILLING_USAGE_NAME)) {
            TopicProbe.send(TestKafka.bootstrapServers(), MachineStates.records(events));
            for (Machine machine : List.of(own, pooled)) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> Usage.of(usage.drain(r -> true, Duration.ofMillis(200)), machine.team())
                                        .hours()
                                        .size()
                                == 5);
                // the last hour closes with the destruction in it: nothing accrues after, nothing more is published
                Usage finance = Usage.of(usage.drain(r -> true, Duration.ofSeconds(2)), machine.team());
                CostRecomputation.TeamCost expected = recomputed.get(machine.team());

                // started 10→80 and 125→210 minutes; asleep (suspended, then stopped) 80→125 and 210→250
                assertThat(expected.computeSeconds()).isEqualTo((70 + 85) * 60);
                assertThat(expected.asleepSeconds()).isEqualTo((45 + 40) * 60);
                assertThat(finance.computeSeconds()).isEqualTo(expected.computeSeconds());
                assertThat(finance.rootfsSeconds()).isEqualTo(expected.asleepSeconds());
                assertThat(finance.recorded()).as("each hour recorded once").isEqualTo(5);
                assertThat(CostRecomputation.agreesToTheCent(finance.total(), expected.amount()))
                        .as("finance %s, recomputed %s", finance.total(), expected.amount())
                        .isTrue();
                assertThat(finance.total().subtract(expected.amount()).abs())
                        .isLessThanOrEqualTo(new BigDecimal("0.0000005").multiply(BigDecimal.valueOf(finance.lines())));
                assertThat(finance.total().setScale(2, java.math.RoundingMode.HALF_EVEN))
                        .isEqualTo(expected.cents());
                assertThat(metering.costSince(machine.team(), Instant.EPOCH)).isEqualByComparingTo(finance.total());
            }
        }
        // what a harness running the platform as processes gets from the topic alone
        var fromTopic = CostRecomputation.withBillingPrices()
                .recompute(
                        CostRecomputationCli.read(
                                TestKafka.bootstrapServers(),
                                new MachineStateRules(TeamAddresses.defaults(), PriceBooks.load())),
                        Instant.now());
        assertThat(fromTopic.get(own.team())).isEqualTo(recomputed.get(own.team()));
        assertThat(fromTopic.get(pooled.team())).isEqualTo(recomputed.get(pooled.team()));
        // were sleeping priced as running, the big machine's 85 sleeping minutes alone would add dollars
        assertThat(recomputed.get(own.team()).cents()).isLessThan(new BigDecimal("3.00"));
    }
}
