package com.employable.flotilla.billing.metering;

import com.employable.flotilla.billing.ownership.TeamOwnership;
import com.employable.flotilla.billing.pricing.PriceBook;
import com.employable.flotilla.billing.pricing.PriceBooks;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.cloudevents.EventJson;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.billing.BudgetExceeded;
import com.employable.flotilla.common.events.billing.UsageAdjusted;
import com.employable.flotilla.common.events.billing.UsageLine;
import com.employable.flotilla.common.events.billing.UsageRecorded;
import com.employable.flotilla.common.events.server.MachineStateChanged;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import com.employable.flotilla.common.outbox.Outbox;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;

/**
 * Per-second metering into hourly usage for finance. Machine states are stored once each (event id); an hour is
 * closed once it ended more than the grace period ago and published as {@code billing.usage-recorded} with a
 * deterministic usage id; a late state change for a closed hour re-meters it and publishes the difference as
 * {@code billing.usage-adjusted}, priced with the book the hour was recorded with (closed hours are never repriced).
 */
@Service
public class MeteringService {

    private static final Logger log = LoggerFactory.getLogger(MeteringService.class);
    static final String CURRENCY = "USD";
    private static final Duration HOUR = Duration.ofHours(1);
    /** Hours closed per team per run, so a long outage catches up without one huge transaction. */
    private static final int MAX_HOURS_PER_RUN = 72;

    private static final TypeReference<List<UsageLine>> LINES = new TypeReference<>() {};

    private final MeterRepository repository;
    private final PriceBooks books;
    private final Outbox outbox;
    private final BillingProperties properties;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final TeamOwnership ownership;

    MeteringService(
            MeterRepository repository,
            PriceBooks books,
            Outbox outbox,
            BillingProperties properties,
            Clock clock,
            TransactionTemplate transactions,
            TeamOwnership ownership) {
        this.repository = repository;
        this.books = books;
        this.outbox = outbox;
        this.properties = properties;
        this.clock = clock;
        this.transactions = transactions;
        this.ownership = ownership;
    }

    /**
     * Stores a batch of machine states in one transaction (duplicates by event id are skipped), then re-meters the
     * closed hours of every team that received a state older than its closed watermark: one adjustment per hour
     * however many late states the batch held for it.
     */
    @Transactional
    public void recordAll(List<EventEnvelope<ServerLifecycleEvent>> envelopes) {
        List<StateChange> changes = new ArrayList<>(envelopes.size());
        for (EventEnvelope<ServerLifecycleEvent> envelope : envelopes) {
            if (envelope.data() instanceof MachineStateChanged changed) {
                changes.add(new StateChange(
                        envelope.id(),
                        changed.teamId(),
                        changed.machineId(),
                        changed.app(),
                        changed.region(),
                        changed.guest().cpuKind(),
                        changed.guest().cpus(),
                        changed.guest().memoryMb(),
                        changed.rootfsGb(),
                        changed.to(),
                        changed.at().truncatedTo(ChronoUnit.SECONDS)));
            }
        }
        if (changes.isEmpty()) {
            return;
        }
        Map<String, Instant> earliestNewPerTeam = new LinkedHashMap<>();
        List<StateChange> inserted = repository.insertAll(changes);
        for (StateChange change : inserted) {
            earliestNewPerTeam.merge(change.teamId(), change.at(), (a, b) -> a.isBefore(b) ? a : b);
        }
        if (earliestNewPerTeam.isEmpty()) {
            return;
        }
        // after this lock a close of these teams either committed (then the late states re-meter it) or waits for us
        repository.lockTeams(earliestNewPerTeam.keySet());
        Map<String, Instant> closedThrough = repository.closedThroughAll(earliestNewPerTeam.keySet());
        earliestNewPerTeam.forEach((team, earliest) -> {
            Instant closed = closedThrough.get(team);
            if (closed != null && earliest.isBefore(closed)) {
                remeterClosed(team, hourOf(earliest), closed);
            }
        });
    }

    /**
     * Closes what is due for the teams this instance owns (their partition of the machine states is assigned to it and
     * consumed as far as it reached when assigned), so with several instances each team-hour is closed by one of them,
     * the one that stores the team's machine states.
     */
    @Scheduled(fixedDelayString = "${flotilla.billing.close-interval:30s}")
    public void closeDue() {
        Instant now = clock.instant();
        for (String team : repository.teams()) {
            try {
                ownership.runIfOwner(team, () -> transactions.executeWithoutResult(status -> close(team, now)));
            } catch (RuntimeException e) {
                log.warn("Closing usage of team {} failed: {}", team, e.toString());
            }
        }
    }

    /** Closes every hour of the team that ended more than the grace period before {@code now}. */
    void close(String teamId, Instant now) {
        // the team's states stored concurrently either commit before this reads them or re-meter what it closed
        repository.lockTeams(List.of(teamId));
        // an hour [h, h+1h) is closable when h+1h+grace <= now
        Instant lastClosableEnd = hourOf(now.minus(properties.closeGrace()));
        Optional<Instant> first = repository.firstChange(teamId);
        if (first.isEmpty()) {
            return;
        }
        Instant from = repository.closedThrough(teamId).orElse(hourOf(first.get()));
        MeterRepository.Activity activity = repository.activity(teamId);
        if (activity.allDestroyed() && activity.lastChange() != null && !from.isBefore(activity.lastChange())) {
            return;
        }
        Instant hour = from;
        int closed = 0;
        while (!hour.plus(HOUR).isAfter(lastClosableEnd) && closed < MAX_HOURS_PER_RUN) {
            closeHour(teamId, hour);
            hour = hour.plus(HOUR);
            closed++;
        }
        if (closed > 0) {
            repository.closedThrough(teamId, hour);
        }
    }

    private void closeHour(String teamId, Instant hour) {
        PriceBook book = books.at(hour);
        List<UsageLine> lines = Meter.lines(repository.changes(teamId, hour.plus(HOUR)), hour, hour.plus(HOUR), book);
        if (lines.isEmpty() || repository.recorded(teamId, hour).isPresent()) {
            return;
        }
        BigDecimal total = Meter.total(lines);
        String usageId = usageId(teamId, hour);
        repository.record(usageId, teamId, hour, book.id(), total, json(lines));
        outbox.publish(
                Topics.BILLING_USAGE,
                new UsageRecorded(usageId, teamId, hour, hour.plus(HOUR), CURRENCY, book.id(), lines, total));
        checkBudget(teamId, hour);
    }

    private void remeterClosed(String teamId, Instant fromHour, Instant closedThrough) {
        for (Instant hour = fromHour; hour.isBefore(closedThrough); hour = hour.plus(HOUR)) {
            Optional<MeterRepository.RecordedHour> recorded = repository.recorded(teamId, hour);
            PriceBook book = recorded.flatMap(r -> books.byId(r.priceBook())).orElse(books.at(hour));
            List<UsageLine> lines =
                    Meter.lines(repository.changes(teamId, hour.plus(HOUR)), hour, hour.plus(HOUR), book);
            BigDecimal total = Meter.total(lines);
            if (recorded.isEmpty()) {
                if (!lines.isEmpty()) {
                    String usageId = usageId(teamId, hour);
                    repository.record(usageId, teamId, hour, book.id(), total, json(lines));
                    outbox.publish(
                            Topics.BILLING_USAGE,
                            new UsageRecorded(
                                    usageId, teamId, hour, hour.plus(HOUR), CURRENCY, book.id(), lines, total));
                }
                continue;
            }
            MeterRepository.RecordedHour previous = recorded.get();
            if (total.compareTo(previous.total()) == 0 && json(lines).equals(canonical(previous.linesJson()))) {
                continue;
            }
            List<UsageLine> delta = delta(EventJson.MAPPER.readValue(previous.linesJson(), LINES), lines);
            BigDecimal deltaTotal = total.subtract(previous.total());
            String adjustmentId = UUID.nameUUIDFromBytes(
                            (previous.usageId() + ":" + json(lines)).getBytes(StandardCharsets.UTF_8))
                    .toString();
            repository.adjust(previous.usageId(), total, json(lines));
            outbox.publish(
                    Topics.BILLING_USAGE,
                    new UsageAdjusted(
                            adjustmentId,
                            previous.usageId(),
                            teamId,
                            hour,
                            hour.plus(HOUR),
                            CURRENCY,
                            book.id(),
                            delta,
                            deltaTotal,
                            "a machine state change arrived after the hour was closed"));
            log.info("Usage {} of team {} adjusted by {} {}", previous.usageId(), teamId, deltaTotal, CURRENCY);
        }
    }

    /** Per machine, kind, size and region: what changed (new minus old), lines that did not change left out. */
    static List<UsageLine> delta(List<UsageLine> before, List<UsageLine> after) {
        Map<List<String>, UsageLine[]> byKey = new LinkedHashMap<>();
        for (UsageLine line : before) {
            byKey.computeIfAbsent(key(line), k -> new UsageLine[2])[0] = line;
        }
        for (UsageLine line : after) {
            byKey.computeIfAbsent(key(line), k -> new UsageLine[2])[1] = line;
        }
        List<UsageLine> delta = new ArrayList<>();
        byKey.forEach((key, pair) -> {
            UsageLine template = pair[1] != null ? pair[1] : pair[0];
            BigDecimal quantity = quantity(pair[1]).subtract(quantity(pair[0]));
            BigDecimal amount = amount(pair[1]).subtract(amount(pair[0]));
            if (quantity.signum() != 0 || amount.signum() != 0) {
                delta.add(new UsageLine(
                        template.machineId(),
                        template.kind(),
                        template.sku(),
                        template.region(),
                        quantity,
                        template.unit(),
                        template.unitPrice(),
                        amount));
            }
        });
        return delta;
    }

    private static List<String> key(UsageLine line) {
        return List.of(line.machineId(), line.kind(), line.sku(), line.region());
    }

    private static BigDecimal quantity(UsageLine line) {
        return line == null ? BigDecimal.ZERO : line.quantity();
    }

    private static BigDecimal amount(UsageLine line) {
        return line == null ? BigDecimal.ZERO.setScale(PriceBook.AMOUNT_SCALE) : line.amount();
    }

    private void checkBudget(String teamId, Instant hour) {
        Optional<String> plan = repository.planOf(teamId);
        if (plan.isEmpty() || !properties.budgets().containsKey(plan.get())) {
            return;
        }
        YearMonth month = YearMonth.from(hour.atZone(ZoneOffset.UTC));
        Instant monthStart = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant monthEnd = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        BigDecimal spent = repository.recordedTotal(teamId, monthStart, monthEnd);
        BigDecimal budget = properties.budgets().get(plan.get());
        if (spent.compareTo(budget) > 0 && repository.firstBudgetAlert(teamId, month.toString())) {
            outbox.publish(
                    Topics.BILLING_USAGE,
                    new BudgetExceeded(teamId, plan.get(), month.toString(), budget, spent, clock.instant()));
        }
    }

    /** Closed usage plus what accrues in the hours not closed yet, from {@code from} until now. */
    public BigDecimal costSince(String teamId, Instant from) {
        Instant now = clock.instant();
        Instant closed = repository.closedThroughNow(teamId).orElse(from);
        if (closed.isBefore(from)) {
            closed = from;
        }
        BigDecimal recorded = repository.recordedTotal(teamId, from, closed);
        List<UsageLine> open = Meter.lines(repository.changes(teamId, now), closed, now, books.at(closed));
        return recorded.add(Meter.total(open));
    }

    public static String usageId(String teamId, Instant hour) {
        return UUID.nameUUIDFromBytes(("usage:" + teamId + ":" + hour).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    static Instant hourOf(Instant at) {
        return at.truncatedTo(ChronoUnit.HOURS);
    }

    private static String json(List<UsageLine> lines) {
        return EventJson.MAPPER.writeValueAsString(lines);
    }

    private static String canonical(String json) {
        return json(EventJson.MAPPER.readValue(json, LINES));
    }
}
