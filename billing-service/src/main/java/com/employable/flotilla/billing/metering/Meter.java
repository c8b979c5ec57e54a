package com.employable.flotilla.billing.metering;

import com.employable.flotilla.billing.pricing.PriceBook;
import com.employable.flotilla.common.events.billing.UsageLine;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns machine state changes into priced usage for a window, per second and in exact decimals. Each machine is in
 * the state of its latest change until its next one (changes ordered by time, then event id, so arrival order never
 * matters); running states pay compute at the machine's size and region, stopped and suspended ones their root
 * filesystem, destroyed ones nothing.
 */
public final class Meter {

    /** What Fly bills as running: started and the transient states around it. */
    static final Set<String> COMPUTE =
            Set.of("started", "starting", "stopping", "restarting", "updating", "replacing", "suspending");
    /** What Fly bills as stopped: only the root filesystem. */
    static final Set<String> ROOTFS = Set.of("stopped", "suspended", "created", "failed");

    public static final String KIND_COMPUTE = "compute";
    public static final String KIND_ROOTFS = "rootfs";

    private Meter() {}

    static final Comparator<StateChange> ORDER =
            Comparator.comparing(StateChange::at).thenComparing(StateChange::eventId);

    /** Priced lines for {@code [start, end)}, one per machine, kind and size, in a stable order. */
    public static List<UsageLine> lines(List<StateChange> changes, Instant start, Instant end, PriceBook book) {
        Map<String, List<StateChange>> byMachine = changes.stream()
                .collect(Collectors.groupingBy(StateChange::machineId, TreeMap::new, Collectors.toList()));
        List<UsageLine> lines = new ArrayList<>();
        for (List<StateChange> machine : byMachine.values()) {
            List<StateChange> ordered = machine.stream().sorted(ORDER).toList();
            // seconds per (kind, sku, region, unit price)
            Map<List<Object>, Long> seconds = new LinkedHashMap<>();
            for (int i = 0; i < ordered.size(); i++) {
                StateChange change = ordered.get(i);
                Instant from = change.at().isBefore(start) ? start : change.at();
                Instant until = i + 1 < ordered.size() ? ordered.get(i + 1).at() : end;
                if (until.isAfter(end)) {
                    until = end;
                }
                long length = Duration.between(from, until).getSeconds();
                if (length <= 0) {
                    continue;
                }
                if (COMPUTE.contains(change.state())) {
                    BigDecimal unit =
                            book.computePerSecond(change.cpuKind(), change.cpus(), change.memoryMb(), change.region());
                    seconds.merge(List.of(KIND_COMPUTE, sku(change), change.region(), unit), length, Long::sum);
                } else if (ROOTFS.contains(change.state()) && change.rootfsGb() > 0) {
                    BigDecimal unit = book.rootfsPerSecond(change.rootfsGb());
                    seconds.merge(
                            List.of(KIND_ROOTFS, "rootfs-" + change.rootfsGb() + "gb", change.region(), unit),
                            length,
                            Long::sum);
                }
            }
            String machineId = machine.get(0).machineId();
            seconds.forEach((key, quantity) -> {
                BigDecimal unit = (BigDecimal) key.get(3);
                lines.add(new UsageLine(
                        machineId,
                        (String) key.get(0),
                        (String) key.get(1),
                        (String) key.get(2),
                        BigDecimal.valueOf(quantity),
                        "second",
                        unit,
                        PriceBook.amount(unit, quantity)));
            });
        }
        return lines;
    }

    public static BigDecimal total(List<UsageLine> lines) {
        return lines.stream()
                .map(UsageLine::amount)
                .reduce(BigDecimal.ZERO.setScale(PriceBook.AMOUNT_SCALE), BigDecimal::add);
    }

    /** Fly's preset naming: shared-cpu-2x-1024mb, performance-1x-2048mb. */
    static String sku(StateChange change) {
        String kind = "performance".equals(change.cpuKind()) ? "performance" : "shared-cpu";
        return kind + "-" + change.cpus() + "x-" + change.memoryMb() + "mb";
    }
}
