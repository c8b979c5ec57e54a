package com.employable.flotilla.billing.reconciliation;

import com.employable.flotilla.billing.pricing.PriceBook;
import com.employable.flotilla.billing.pricing.PriceBooks;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.server.MachineStateChanged;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What machines cost, recomputed straight from their {@code machine.state-changed} events and nothing else: no
 * database, no hourly closing, no adjustments, no rounding, its own price arithmetic. A harness or a test compares it
 * with what billing metered (the usage topic or {@code GET /v1/teams/{team}/costs}).
 *
 * <p>The rules, from Fly's pricing: a machine is, from each change until its next (ordered by Fly's time in whole
 * seconds, then event id; an event id seen twice counts once), in the state that change names. A second started (or
 * in a transient state around it) pays compute at the machine's size and region; a second asleep (stopped,
 * suspended) or created or failed pays only the root filesystem; destroyed pays nothing. So every second of a
 * machine's life is priced once, at one of the two prices. Each second is priced with the price book in force at the
 * start of its hour, as billing does.
 */
public final class CostRecomputation {

    private static final MathContext PRECISION = MathContext.DECIMAL128;
    private static final Set<String> RUNNING =
            Set.of("started", "starting", "stopping", "restarting", "updating", "replacing", "suspending");
    private static final Set<String> ASLEEP = Set.of("stopped", "suspended", "created", "failed");
    private static final BigDecimal HALF_A_CENT = new BigDecimal("0.005");

    private final PriceBooks books;

    public CostRecomputation(PriceBooks books) {
        this.books = books;
    }

    /** With the price books billing itself loads. */
    public static CostRecomputation withBillingPrices() {
        return new CostRecomputation(PriceBooks.load());
    }

    /** One event as it was published: its CloudEvent id (for de-duplication and ties) and its data. */
    public record Observed(String eventId, MachineStateChanged change) {

        public static Observed of(EventEnvelope<?> envelope) {
            return new Observed(envelope.id(), (MachineStateChanged) envelope.data());
        }
    }

    /**
     * One team's cost.
     *
     * @param computeSeconds machine-seconds in a running state
     * @param asleepSeconds machine-seconds paying the root filesystem only
     * @param amount exact, in USD, unrounded
     */
    public record TeamCost(String teamId, long computeSeconds, long asleepSeconds, BigDecimal amount) {

        public BigDecimal cents() {
            return amount.setScale(2, RoundingMode.HALF_EVEN);
        }
    }

    /**
     * Per team (sorted by id), every second of every machine from its first change until it is destroyed or until
     * {@code until}, whichever comes first.
     */
    public Map<String, TeamCost> recompute(Collection<Observed> events, Instant until) {
        Map<String, Observed> unique = new LinkedHashMap<>();
        events.forEach(event -> unique.putIfAbsent(event.eventId(), event));
        Map<List<String>, List<Observed>> byMachine = new TreeMap<>(
                Comparator.comparing((List<String> key) -> key.get(0)).thenComparing(key -> key.get(1)));
        for (Observed event : unique.values()) {
            byMachine
                    .computeIfAbsent(
                            List.of(event.change().teamId(), event.change().machineId()), key -> new ArrayList<>())
                    .add(event);
        }
        Instant end = until.truncatedTo(ChronoUnit.SECONDS);
        Map<String, TeamCost> teams = new TreeMap<>();
        byMachine.forEach((key, changes) -> {
            changes.sort(Comparator.comparing((Observed event) -> second(event.change()))
                    .thenComparing(Observed::eventId));
            TeamCost machine = machine(key.get(0), changes, end);
            teams.merge(key.get(0), machine, CostRecomputation::plus);
        });
        return teams;
    }

    /** The sum over all teams. */
    public static BigDecimal total(Map<String, TeamCost> teams) {
        return teams.values().stream().map(TeamCost::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /**
     * Whether a metered amount equals a recomputed one to the cent: they differ by less than half a cent. (Billing
     * rounds each hourly line to the micro-dollar, so the two differ by at most half a micro-dollar per line.)
     */
    public static boolean agreesToTheCent(BigDecimal metered, BigDecimal recomputed) {
        return metered.subtract(recomputed).abs().compareTo(HALF_A_CENT) < 0;
    }

    private TeamCost machine(String teamId, List<Observed> changes, Instant until) {
        long compute = 0;
        long asleep = 0;
        BigDecimal amount = BigDecimal.ZERO;
        for (int i = 0; i < changes.size(); i++) {
            MachineStateChanged change = changes.get(i).change();
            Instant from = second(change);
            Instant to = i + 1 < changes.size() ? second(changes.get(i + 1).change()) : until;
            boolean running = RUNNING.contains(change.to());
            if (!running && !ASLEEP.contains(change.to())) {
                continue;
            }
            // each piece of the interval within one hour is priced with the book in force at that hour's start
            for (Instant piece = from; piece.isBefore(to); ) {
                Instant hourEnd = piece.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
                Instant pieceEnd = hourEnd.isBefore(to) ? hourEnd : to;
                long seconds = Duration.between(piece, pieceEnd).getSeconds();
                PriceBook book = books.at(piece.truncatedTo(ChronoUnit.HOURS));
                BigDecimal perSecond = running ? computePerSecond(book, change) : rootfsPerSecond(book, change);
                amount = amount.add(perSecond.multiply(BigDecimal.valueOf(seconds)));
                if (running) {
                    compute += seconds;
                } else {
                    asleep += seconds;
                }
                piece = pieceEnd;
            }
        }
        return new TeamCost(teamId, compute, asleep, amount);
    }

    /** Fly's calculator: (vCPUs × vCPU price + GB of RAM × RAM price) × regional markup, over a 730-hour month. */
    private static BigDecimal computePerSecond(PriceBook book, MachineStateChanged change) {
        PriceBook.Fly fly = book.fly();
        BigDecimal vcpu =
                "performance".equals(change.guest().cpuKind()) ? fly.performanceCpuMonthly() : fly.sharedCpuMonthly();
        BigDecimal ramGb = BigDecimal.valueOf(change.guest().memoryMb()).divide(BigDecimal.valueOf(1024), PRECISION);
        BigDecimal monthly = vcpu.multiply(BigDecimal.valueOf(change.guest().cpus()))
                .add(ramGb.multiply(fly.ramGbMonthly()))
                .multiply(fly.regionMultipliers().getOrDefault(change.region(), BigDecimal.ONE));
        return monthly.divide(BigDecimal.valueOf(fly.secondsPerMonth()), PRECISION);
    }

    /** $ per GB per 30 days, per second. */
    private static BigDecimal rootfsPerSecond(PriceBook book, MachineStateChanged change) {
        return book.fly()
                .rootfsGbPer30Days()
                .multiply(BigDecimal.valueOf(change.rootfsGb()))
                .divide(BigDecimal.valueOf(30L * 24 * 3600), PRECISION);
    }

    private static Instant second(MachineStateChanged change) {
        return change.at().truncatedTo(ChronoUnit.SECONDS);
    }

    private static TeamCost plus(TeamCost a, TeamCost b) {
        return new TeamCost(
                a.teamId(),
                a.computeSeconds() + b.computeSeconds(),
                a.asleepSeconds() + b.asleepSeconds(),
                a.amount().add(b.amount()));
    }
}
