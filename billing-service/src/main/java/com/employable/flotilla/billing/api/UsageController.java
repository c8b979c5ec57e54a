package com.employable.flotilla.billing.api;

import com.employable.flotilla.billing.metering.MeterRepository;
import com.employable.flotilla.billing.metering.MeterRepository.HourTotal;
import com.employable.flotilla.billing.metering.MeteringService;
import com.employable.flotilla.billing.pricing.PriceBooks;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Finance's view: usage per team per day or month (JSON or CSV), totals per plan, and the month to date with a
 * forecast to month end. Amounts are decimal strings in USD, never floating point.
 */
@RestController
class UsageController {

    private final MeterRepository repository;
    private final MeteringService metering;
    private final PriceBooks books;
    private final Clock clock;

    UsageController(MeterRepository repository, MeteringService metering, PriceBooks books, Clock clock) {
        this.repository = repository;
        this.metering = metering;
        this.books = books;
        this.clock = clock;
    }

    /** What a team has cost so far: all time, this month, and this month's forecast. */
    @GetMapping("/v1/teams/{teamId}/costs")
    Map<String, Object> costs(@PathVariable String teamId) {
        Instant now = clock.instant();
        YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        Instant monthStart = start(month);
        BigDecimal total = metering.costSince(teamId, Instant.EPOCH);
        BigDecimal monthToDate = metering.costSince(teamId, monthStart);
        var body = new LinkedHashMap<String, Object>();
        body.put("teamId", teamId);
        body.put("currency", "USD");
        body.put("plan", repository.planOf(teamId).orElse(null));
        body.put("totalUsd", total.setScale(6, RoundingMode.HALF_EVEN).toPlainString());
        body.put("month", month.toString());
        body.put(
                "monthToDateUsd",
                monthToDate.setScale(6, RoundingMode.HALF_EVEN).toPlainString());
        body.put(
                "forecastMonthUsd",
                forecast(monthToDate, monthStart, start(month.plusMonths(1)), now)
                        .toPlainString());
        body.put("priceBook", books.at(now).id());
        body.put(
                "closedThrough",
                repository.closedThroughNow(teamId).map(Instant::toString).orElse(null));
        return body;
    }

    /** Closed usage per team and day or month; {@code format=csv} (or Accept: text/csv) for spreadsheets. */
    @GetMapping("/v1/usage")
    ResponseEntity<?> usage(
            @RequestParam(required = false) String team,
            @RequestParam(defaultValue = "day") String granularity,
            @RequestParam String from,
            @RequestParam String to,
            @RequestParam(defaultValue = "json") String format) {
        if (!granularity.equals("day") && !granularity.equals("month")) {
            throw new IllegalArgumentException("granularity must be day or month");
        }
        Instant fromInstant = day(from);
        Instant toInstant = day(to);
        if (!toInstant.isAfter(fromInstant)
                || Duration.between(fromInstant, toInstant).toDays() > 366) {
            throw new IllegalArgumentException("to must be after from, at most 366 days later");
        }
        Map<List<String>, BigDecimal> totals =
                new TreeMap<>((a, b) -> (a.get(0) + a.get(1)).compareTo(b.get(0) + b.get(1)));
        for (HourTotal hour : repository.hourTotals(team, fromInstant, toInstant)) {
            String period = granularity.equals("day")
                    ? LocalDate.ofInstant(hour.hourStart(), ZoneOffset.UTC).toString()
                    : YearMonth.from(hour.hourStart().atZone(ZoneOffset.UTC)).toString();
            totals.merge(List.of(hour.teamId(), period), hour.total(), BigDecimal::add);
        }
        if ("csv".equals(format)) {
            StringBuilder csv = new StringBuilder("team_id,period,plan,amount_usd\n");
            totals.forEach((key, amount) -> csv.append(key.get(0))
                    .append(',')
                    .append(key.get(1))
                    .append(',')
                    .append(repository.planOf(key.get(0)).orElse(""))
                    .append(',')
                    .append(amount.toPlainString())
                    .append('\n'));
            return ResponseEntity.ok().contentType(new MediaType("text", "csv")).body(csv.toString());
        }
        if (!"json".equals(format)) {
            throw new IllegalArgumentException("format must be json or csv");
        }
        var rows = totals.entrySet().stream()
                .map(entry -> Map.of(
                        "teamId",
                        entry.getKey().get(0),
                        "period",
                        entry.getKey().get(1),
                        "amountUsd",
                        entry.getValue().toPlainString()))
                .toList();
        return ResponseEntity.ok(Map.of("granularity", granularity, "from", from, "to", to, "usage", rows));
    }

    /** Closed usage of a month, summed per plan. */
    @GetMapping("/v1/usage/plans")
    Map<String, Object> perPlan(@RequestParam String month) {
        YearMonth parsed = month(month);
        Map<String, BigDecimal> totals = new TreeMap<>();
        for (HourTotal hour : repository.hourTotals(null, start(parsed), start(parsed.plusMonths(1)))) {
            totals.merge(repository.planOf(hour.teamId()).orElse("unknown"), hour.total(), BigDecimal::add);
        }
        var plans = new TreeMap<String, String>();
        totals.forEach((plan, amount) -> plans.put(plan, amount.toPlainString()));
        return Map.of("month", parsed.toString(), "currency", "USD", "plans", plans);
    }

    /** All teams: closed usage so far this month and a straight-line forecast to its end. */
    @GetMapping("/v1/forecast")
    Map<String, Object> forecast() {
        Instant now = clock.instant();
        YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        BigDecimal toDate = repository.hourTotals(null, start(month), now).stream()
                .map(HourTotal::total)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        return Map.of(
                "month",
                month.toString(),
                "currency",
                "USD",
                "monthToDateUsd",
                toDate.toPlainString(),
                "forecastMonthUsd",
                forecast(toDate, start(month), start(month.plusMonths(1)), now).toPlainString());
    }

    private static BigDecimal forecast(BigDecimal toDate, Instant monthStart, Instant monthEnd, Instant now) {
        long elapsed = Math.max(1, Duration.between(monthStart, now).toSeconds());
        long whole = Duration.between(monthStart, monthEnd).toSeconds();
        return toDate.multiply(BigDecimal.valueOf(whole))
                .divide(BigDecimal.valueOf(elapsed), 2, RoundingMode.HALF_EVEN);
    }

    private static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    private static Instant day(String value) {
        try {
            return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("dates are YYYY-MM-DD, not '" + value + "'");
        }
    }

    private static YearMonth month(String value) {
        try {
            return YearMonth.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("month is YYYY-MM, not '" + value + "'");
        }
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Bad request");
        return problem;
    }
}
