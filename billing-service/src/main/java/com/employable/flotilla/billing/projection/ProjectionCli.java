package com.employable.flotilla.billing.projection;

import com.employable.flotilla.billing.pricing.PriceBook;
import com.employable.flotilla.billing.pricing.PriceBooks;
import com.employable.flotilla.billing.projection.Projection.Assumptions;
import com.employable.flotilla.billing.projection.Projection.Month;
import com.employable.flotilla.billing.projection.Projection.Profile;
import com.employable.flotilla.billing.projection.Projection.Provider;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code java -cp billing-service/target/billing-service.jar -Dloader.main=com.employable.flotilla.billing.projection.ProjectionCli
 * org.springframework.boot.loader.launch.PropertiesLauncher --teams 250 --growth 0.08 --months 36
 * --mix starter=0.6,team=0.3,business=0.1 --profile business-hours --regions iad=0.7,fra=0.3}
 */
public final class ProjectionCli {

    private ProjectionCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>(Map.of(
                "teams",
                "100",
                "growth",
                "0.10",
                "months",
                "24",
                "mix",
                "starter=0.5,team=0.3,business=0.2",
                "profile",
                "business-hours",
                "regions",
                "iad=1",
                "idle-fraction",
                "1"));
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || i + 1 >= args.length || !options.containsKey(arg.substring(2))) {
                err.println("usage: --teams N --growth 0.10 --months 12..36 --mix starter=0.5,team=0.3,business=0.2 "
                        + "--profile always-on|business-hours|hour-a-day|hours=<h> --regions iad=0.5,fra=0.5 "
                        + "--idle-fraction 0..1");
                return 2;
            }
            options.put(arg.substring(2), args[++i]);
        }
        try {
            var assumptions = new Assumptions(
                    new BigDecimal(options.get("teams")),
                    new BigDecimal(options.get("growth")),
                    shares(options.get("mix")),
                    profile(options.get("profile")).sleepingOnly(idleFraction(options.get("idle-fraction"))),
                    shares(options.get("regions")),
                    Integer.parseInt(options.get("months")));
            PriceBook book = PriceBooks.load().current();
            print(new Projection(book, CostModel.load()), assumptions, book, out);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("invalid assumptions: " + e.getMessage());
            return 2;
        }
    }

    static void print(Projection projection, Assumptions assumptions, PriceBook book, PrintStream out) {
        out.println("Price book " + book.id() + ", cost model "
                + projection.model().id() + "; assumptions: " + assumptions);
        out.printf("%-28s %14s%n", "Average team per month (egress included)", "");
        for (Provider provider : Provider.values()) {
            out.printf(
                    "  %-26s %14s%n",
                    provider.label, Projection.money(projection.averageTeamMonthly(provider, assumptions)));
        }
        out.printf("%n%5s %8s", "month", "teams");
        for (Provider provider : Provider.values()) {
            out.printf(" %16s", provider.name());
        }
        out.println();
        var yearly = new LinkedHashMap<Provider, BigDecimal>();
        for (Month month : projection.months(assumptions)) {
            out.printf("%5d %8.0f", month.index(), month.teams());
            for (var entry : month.cost().entrySet()) {
                out.printf(" %16s", Projection.money(entry.getValue()));
                yearly.merge(entry.getKey(), entry.getValue(), BigDecimal::add);
            }
            out.println();
            if (month.index() == assumptions.months()) {
                var platform = new PlatformCosts(book, projection.model());
                out.printf(
                        "platform fixed costs at %.0f teams: %s a month on demand, %s with reservations%n",
                        month.teams(),
                        Projection.money(platform.total(month.teams(), assumptions.profile())),
                        Projection.money(platform.totalReserved(month.teams(), assumptions.profile())));
            }
            if (month.index() % 12 == 0) {
                out.printf("year %d total:", month.index() / 12);
                yearly.forEach((provider, total) -> out.printf(" %s %s;", provider.name(), Projection.money(total)));
                out.println();
                yearly.clear();
            }
        }
    }

    static BigDecimal idleFraction(String value) {
        BigDecimal fraction = new BigDecimal(value);
        if (fraction.signum() < 0 || fraction.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("idle-fraction must be within 0..1, got " + value);
        }
        return fraction;
    }

    static Map<String, BigDecimal> shares(String spec) {
        Map<String, BigDecimal> shares = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            String[] parts = entry.split("=");
            if (parts.length != 2) {
                throw new IllegalArgumentException("expected name=share, got " + entry);
            }
            shares.put(parts[0].trim(), new BigDecimal(parts[1].trim()));
        }
        return shares;
    }

    static Profile profile(String name) {
        return switch (name) {
            case "always-on" -> Profile.ALWAYS_ON;
            case "business-hours" -> Profile.BUSINESS_HOURS;
            case "hour-a-day" -> Profile.HOUR_A_DAY;
            default -> {
                if (name.startsWith("hours=")) {
                    // a measured profile carries no peak: size the database for every team awake at once
                    yield new Profile(
                            "measured " + name.substring(6) + " h/month",
                            new BigDecimal(name.substring(6)),
                            BigDecimal.ONE);
                }
                throw new IllegalArgumentException("unknown profile " + name);
            }
        };
    }
}
