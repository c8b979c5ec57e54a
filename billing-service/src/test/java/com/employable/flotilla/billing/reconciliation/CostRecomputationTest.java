package com.employable.flotilla.billing.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.billing.metering.Meter;
import com.employable.flotilla.billing.metering.StateChange;
import com.employable.flotilla.billing.pricing.PriceBooks;
import com.employable.flotilla.billing.reconciliation.CostRecomputation.Observed;
import com.employable.flotilla.common.events.billing.UsageLine;
import com.employable.flotilla.common.events.server.Guest;
import com.employable.flotilla.common.events.server.MachineStateChanged;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** The recomputation against Fly's documented prices, and against billing's hourly metering of random histories. */
class CostRecomputationTest {

    private static final PriceBooks BOOKS = PriceBooks.load();
    private static final CostRecomputation RECOMPUTATION = new CostRecomputation(BOOKS);
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static final String[] STATES = {
        "created", "starting", "started", "stopping", "stopped", "suspending", "suspended", "failed", "destroyed"
    };

    @Test
    void startedSecondsPayComputeAndSleepingSecondsOnlyTheRootFilesystem() {
        List<Observed> events = List.of(
                atIad(observed("e1", "m1", null, "started", T0, 1, 256)),
                atIad(observed("e2", "m1", "started", "suspended", T0.plus(Duration.ofHours(730)), 1, 256)),
                atIad(observed("e3", "m1", "suspended", "destroyed", T0.plus(Duration.ofHours(730 + 720)), 1, 256)));

        var team =
                RECOMPUTATION.recompute(events, T0.plus(Duration.ofDays(400))).get("team");

        // a 730-hour month of shared-cpu-1x/256 MB at iad is $1.945; 30 days suspended with 1 GB of rootfs is $0.15
        assertThat(team.computeSeconds()).isEqualTo(730 * 3600);
        assertThat(team.asleepSeconds()).isEqualTo(720 * 3600);
        assertThat(team.amount())
                .isCloseTo(new BigDecimal("2.095"), org.assertj.core.data.Offset.offset(new BigDecimal("1e-20")));
    }

    @Test
    void duplicatesCountOnceInAnyOrderAndAMachineNotDestroyedAccruesUntilTheGivenTime() {
        var started = observed("e1", "m1", null, "started", T0, 1, 256);
        var stopped = observed("e2", "m1", "started", "stopped", T0.plusSeconds(100), 1, 256);

        var team = RECOMPUTATION
                .recompute(List.of(stopped, started, stopped, started), T0.plusSeconds(160))
                .get("team");

        assertThat(team.computeSeconds()).isEqualTo(100);
        assertThat(team.asleepSeconds()).isEqualTo(60);
    }

    @RepeatedTest(100)
    void equalsBillingsHourlyMeteringOfRandomHistoriesToTheCent(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition() * 104_729L);
        List<Observed> history = new ArrayList<>();
        int id = 0;
        for (int machine = 0; machine < 1 + random.nextInt(3); machine++) {
            int cpus = 1 << random.nextInt(3);
            int memoryMb = 1024 * (1 + random.nextInt(8));
            String previous = null;
            long t = random.nextInt(3600);
            for (int change = 0; change < 2 + random.nextInt(15); change++) {
                String state = STATES[random.nextInt(STATES.length)];
                history.add(observed("e" + id++, "m" + machine, previous, state, T0.plusSeconds(t), cpus, memoryMb));
                previous = state;
                t += random.nextInt(5) == 0 ? 0 : random.nextInt(4 * 3600);
            }
        }
        Instant end = T0.plus(Duration.ofHours(72));
        List<Observed> delivered = new ArrayList<>(history);
        Collections.shuffle(delivered, random);

        BigDecimal metered = BigDecimal.ZERO;
        int lines = 0;
        List<StateChange> stored =
                history.stream().map(CostRecomputationTest::stored).toList();
        for (Instant hour = T0; hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
            List<UsageLine> hourLines = Meter.lines(stored, hour, hour.plus(Duration.ofHours(1)), BOOKS.at(hour));
            metered = metered.add(Meter.total(hourLines));
            lines += hourLines.size();
        }
        var recomputed = RECOMPUTATION.recompute(delivered, end).get("team");

        assertThat(metered.subtract(recomputed.amount()).abs())
                .isLessThanOrEqualTo(new BigDecimal("0.0000005").multiply(BigDecimal.valueOf(lines)));
        assertThat(CostRecomputation.agreesToTheCent(metered, recomputed.amount()))
                .isTrue();
    }

    private static Observed observed(
            String id, String machine, String from, String to, Instant at, int cpus, int memoryMb) {
        return new Observed(
                id,
                new MachineStateChanged(
                        "team",
                        "flotilla-team-team",
                        machine,
                        "fra",
                        new Guest("shared", cpus, memoryMb),
                        1,
                        from,
                        to,
                        at));
    }

    private static Observed atIad(Observed event) {
        MachineStateChanged c = event.change();
        return new Observed(
                event.eventId(),
                new MachineStateChanged(
                        c.teamId(), c.app(), c.machineId(), "iad", c.guest(), c.rootfsGb(), c.from(), c.to(), c.at()));
    }

    private static StateChange stored(Observed event) {
        MachineStateChanged change = event.change();
        return new StateChange(
                event.eventId(),
                change.teamId(),
                change.machineId(),
                change.app(),
                change.region(),
                change.guest().cpuKind(),
                change.guest().cpus(),
                change.guest().memoryMb(),
                change.rootfsGb(),
                change.to(),
                change.at());
    }
}
