package com.employable.flotilla.billing.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.billing.pricing.PriceBook;
import com.employable.flotilla.billing.pricing.PriceBooks;
import com.employable.flotilla.common.events.billing.UsageLine;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * For random histories of state changes (several machines, resizes, region mix, duplicates delivered again and in
 * any order), the metered hour equals a straightforward second-by-second computation, to the micro-dollar.
 */
class MeterPropertyTest {

    private static final PriceBook BOOK = PriceBooks.load().current();
    private static final String[] STATES = {
        "created",
        "starting",
        "started",
        "stopping",
        "stopped",
        "suspending",
        "suspended",
        "restarting",
        "updating",
        "failed",
        "destroyed"
    };
    private static final String[] REGIONS = {"iad", "fra", "syd", "gru"};
    private static final int[][] SIZES = {{1, 256}, {1, 512}, {2, 1024}, {4, 8192}};

    @RepeatedTest(200)
    void meteringEqualsTheSecondBySecondTruth(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition() * 7919L);
        Instant hour = Instant.parse("2026-11-20T10:00:00Z");
        List<StateChange> history = randomHistory(random, hour);

        // what the repository does: each event id once, whatever the delivery order and repeats
        List<StateChange> delivered = new ArrayList<>(history);
        for (int i = 0; i < random.nextInt(10); i++) {
            delivered.add(history.get(random.nextInt(history.size())));
        }
        Collections.shuffle(delivered, random);
        Map<String, StateChange> stored = new LinkedHashMap<>();
        delivered.forEach(change -> stored.putIfAbsent(change.eventId(), change));

        List<UsageLine> lines = Meter.lines(new ArrayList<>(stored.values()), hour, hour.plusSeconds(3600), BOOK);
        Map<String, BigDecimal> truth = secondBySecond(history, hour, hour.plusSeconds(3600));

        Map<String, BigDecimal> metered = new TreeMap<>();
        lines.forEach(line -> metered.merge(
                line.machineId() + "|" + line.kind() + "|" + line.sku() + "|" + line.region(),
                line.amount(),
                BigDecimal::add));
        assertThat(metered).isEqualTo(truth);
        assertThat(Meter.total(lines))
                .isEqualByComparingTo(truth.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));
        lines.forEach(line -> assertThat(line.amount().scale()).isEqualTo(6));
    }

    @Test
    void theDocumentedAnchorsComeOut() {
        // shared-cpu-1x/256 MB at iad: 0.695 + 0.25 x 5 = $1.945 per 730-hour month (Fly shows $1.94); an hour is 1/730
        UsageLine hour = Meter.lines(
                        List.of(change("e1", "m1", "started", 0, "iad", 1, 256)),
                        Instant.EPOCH,
                        Instant.EPOCH.plusSeconds(3600),
                        BOOK)
                .get(0);
        assertThat(hour.amount()).isEqualByComparingTo("0.002664");
        assertThat(BOOK.computeMonthly("shared", 1, 1024, "iad")).isEqualByComparingTo("5.695");
        assertThat(BOOK.computeMonthly("performance", 1, 2048, "iad")).isEqualByComparingTo("31");
        // a stopped machine pays its 1 GB root filesystem: $0.15 per 30 days
        UsageLine stopped = Meter.lines(
                        List.of(change("e2", "m2", "stopped", 0, "fra", 1, 256)),
                        Instant.EPOCH,
                        Instant.EPOCH.plusSeconds(30L * 24 * 3600),
                        BOOK)
                .get(0);
        assertThat(stopped.amount()).isEqualByComparingTo("0.150000");
    }

    private static List<StateChange> randomHistory(Random random, Instant hour) {
        List<StateChange> changes = new ArrayList<>();
        int machines = 1 + random.nextInt(3);
        int id = 0;
        for (int m = 0; m < machines; m++) {
            String region = REGIONS[random.nextInt(REGIONS.length)];
            int[] size = SIZES[random.nextInt(SIZES.length)];
            // some history starts before the hour, some inside it; a few changes fall after it
            long t = -random.nextInt(7200);
            for (int c = 0; c < 1 + random.nextInt(12); c++) {
                if (random.nextInt(6) == 0) {
                    size = SIZES[random.nextInt(SIZES.length)];
                }
                changes.add(change(
                        "e" + (id++), "m" + m, STATES[random.nextInt(STATES.length)], t, region, size[0], size[1]));
                // ties happen: two changes in the same second are ordered by event id
                t += random.nextInt(4) == 0 ? 0 : random.nextInt(1500);
            }
        }
        return changes.stream()
                .map(change -> change.at().isBefore(hour.minusSeconds(100_000))
                        ? change
                        : new StateChange(
                                change.eventId(),
                                change.teamId(),
                                change.machineId(),
                                change.app(),
                                change.region(),
                                change.cpuKind(),
                                change.cpus(),
                                change.memoryMb(),
                                change.rootfsGb(),
                                change.state(),
                                hour.plusSeconds(change.at().getEpochSecond())))
                .toList();
    }

    private static StateChange change(
            String id, String machine, String state, long at, String region, int cpus, int memoryMb) {
        return new StateChange(
                id,
                "team",
                machine,
                "flotilla-team",
                region,
                "shared",
                cpus,
                memoryMb,
                1,
                state,
                Instant.ofEpochSecond(at));
    }

    /** The obvious way: at every second, find each machine's state and charge that second. */
    private static Map<String, BigDecimal> secondBySecond(List<StateChange> history, Instant start, Instant end) {
        Map<String, long[]> seconds = new TreeMap<>();
        Map<String, BigDecimal> unitPrices = new TreeMap<>();
        Map<String, List<StateChange>> byMachine = new TreeMap<>();
        history.forEach(change -> byMachine
                .computeIfAbsent(change.machineId(), k -> new ArrayList<>())
                .add(change));
        for (Instant t = start; t.isBefore(end); t = t.plusSeconds(1)) {
            for (List<StateChange> machine : byMachine.values()) {
                StateChange current = null;
                for (StateChange change : machine) {
                    if (!change.at().isAfter(t)
                            && (current == null
                                    || change.at().isAfter(current.at())
                                    || (change.at().equals(current.at())
                                            && change.eventId().compareTo(current.eventId()) > 0))) {
                        current = change;
                    }
                }
                if (current == null) {
                    continue;
                }
                String key;
                BigDecimal unit;
                if (Meter.COMPUTE.contains(current.state())) {
                    key = current.machineId() + "|compute|shared-cpu-" + current.cpus() + "x-" + current.memoryMb()
                            + "mb|" + current.region();
                    unit = BOOK.computePerSecond("shared", current.cpus(), current.memoryMb(), current.region());
                } else if (Meter.ROOTFS.contains(current.state())) {
                    key = current.machineId() + "|rootfs|rootfs-1gb|" + current.region();
                    unit = BOOK.rootfsPerSecond(1);
                } else {
                    continue;
                }
                seconds.computeIfAbsent(key, k -> new long[1])[0]++;
                unitPrices.put(key, unit);
            }
        }
        Map<String, BigDecimal> amounts = new TreeMap<>();
        seconds.forEach((key, count) -> amounts.put(key, PriceBook.amount(unitPrices.get(key), count[0])));
        return amounts;
    }
}
