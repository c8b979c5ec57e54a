package com.employable.flotilla.billing.projection;

import static com.employable.flotilla.billing.projection.Projection.dollars;
import static com.employable.flotilla.billing.projection.Projection.money;

import com.employable.flotilla.billing.pricing.PriceBook;
import com.employable.flotilla.billing.projection.Projection.PlanShape;
import com.employable.flotilla.billing.projection.Projection.Profile;
import com.employable.flotilla.billing.projection.Projection.Provider;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/** The prose sections of {@code docs/cost-analysis.md}, every figure in them computed from the inputs. */
final class CostSections {

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1_000);

    private CostSections() {}

    static String summary(Projection projection) {
        FleetTotal fleet = FleetTotal.of(projection, THOUSAND, Profile.BUSINESS_HOURS);
        var platform = new PlatformCosts(projection.book(), projection.model());
        BigDecimal small = platform.total(CostAnalysisDoc.FLEETS.get(0), Profile.BUSINESS_HOURS);
        BigDecimal large = platform.total(CostAnalysisDoc.FLEETS.get(2), Profile.BUSINESS_HOURS);
        BigDecimal smallFly = FleetTotal.of(projection, CostAnalysisDoc.FLEETS.get(0), Profile.BUSINESS_HOURS)
                .total()
                .get(Provider.FLY);
        return "## What it comes to\n\n"
                + "- 1,000 teams in business hours (mix and regions as in the sensitivity table), platform included: "
                + "Fly.io " + dollars(fleet.total().get(Provider.FLY)) + " a month on demand ("
                + dollars(fleet.total().get(Provider.FLY_RESERVED)) + " with reservations), AWS Fargate x86 "
                + dollars(fleet.total().get(Provider.FARGATE_X86)) + ", Google Cloud Run "
                + dollars(fleet.total().get(Provider.CLOUD_RUN)) + ", Azure Container Instances "
                + dollars(fleet.total().get(Provider.ACI)) + ".\n"
                + "- The platform's fixed costs (its services, warm pool, Kafka, database, tracing, support) are "
                + dollars(small) + " a month at 100 teams (" + percent(small, smallFly)
                + " of Fly's total there) and " + dollars(large) + " at 10,000 teams, where its largest line is the "
                + largestLine(platform.lines(CostAnalysisDoc.FLEETS.get(2), Profile.BUSINESS_HOURS)) + ".\n"
                + "- Idle fraction this system measured (idle team-seconds spent stopped or suspended): "
                + idleFraction(projection.model()) + "; the profiles below assume 1 (every idle second asleep) "
                + "unless a table says otherwise.\n\n";
    }

    static String assumptions(Projection projection) {
        PriceBook book = projection.book();
        CostModel model = projection.model();
        return "## Assumptions\n\n"
                + "- Plans as the provisioner runs them: starter = shared-cpu-1x/256 MB, 1 machine, suspends when "
                + "idle; team = shared-cpu-1x/512 MB, 1 machine, stops when idle; business = shared-cpu-2x/1024 MB, "
                + "2 machines, one always running.\n"
                + "- Fly: Fly's calculator formula (shared vCPU $" + book.fly().sharedCpuMonthly() + "/mo, RAM $"
                + book.fly().ramGbMonthly() + "/GB/mo) times the regional markup; a stopped or suspended machine "
                + "pays its 1 GB root filesystem ($" + book.fly().rootfsGbPer30Days() + "/GB per 30 days).\n"
                + "- Reservations (" + percent(book.fly().reservationDiscount(), BigDecimal.ONE) + " off) apply only "
                + "to compute that runs the whole month: an always-on profile, the business plan's warm machine, the "
                + "platform's own apps. Reservation blocks are prepaid per region and their monthly credits do not "
                + "roll over, so the hours of a machine that stops when idle are priced on demand.\n"
                + "- Alternatives sized at 0.25 vCPU per Fly shared vCPU and at least 0.5 GB, in their base regions "
                + "(us-east-1, Tier-1, East US): Fargate with a public IPv4 per running task; Cloud Run "
                + "request-based (billed only while active) plus "
                + thousands(model.traffic().requestsPerTeamMonth())
                + " requests per team per month; ACI at its nominal fractional-vCPU price. Free tiers, load "
                + "balancers and NAT are left out; each provider's stop/start controller, where it has none built in, "
                + "is assumed built.\n"
                + "- Activity profiles: the hours a team's agents keep its server busy in a month (always on 730; "
                + "business hours 176; an hour a day 30.4) and the share of teams awake at the busiest hour, which "
                + "sizes the database's connections (100%, 100%: office hours overlap; 12.5%: the hour falls "
                + "anywhere in eight office hours). Nominal profiles assume every idle second asleep.\n"
                + "- There is no production usage yet: the profiles are assumptions, not metering. Once teams run, "
                + "`GET /v1/usage` gives each team's billed hours and `ProjectionCli --profile hours=<h>` prices "
                + "them.\n\n";
    }

    static String idleFraction(Projection projection) {
        BigDecimal measured = projection.model().measured().idleFraction();
        var table = new MarkdownTable(
                List.of("Plan", "Profile"), List.of("Fly.io on demand, nominal", "at the measured idle fraction"));
        for (PlanShape plan : Projection.PLANS) {
            for (Profile profile : List.of(Profile.BUSINESS_HOURS, Profile.HOUR_A_DAY)) {
                String effective = measured == null
                        ? "TBD"
                        : money(projection.perTeamWithEgress(
                                Provider.FLY, plan, profile.sleepingOnly(measured), "iad"));
                table.row(List.of(
                        plan.name(),
                        profile.name(),
                        money(projection.perTeamWithEgress(Provider.FLY, plan, profile, "iad")),
                        effective));
            }
        }
        return "## Idle fraction measured by this system\n\n"
                + "Measured: " + idleFraction(projection.model()) + " ("
                + projection.model().measured().idleFractionSource()
                + "). A sleeping server pays only its root filesystem; the rest of its idle time (the idle window "
                + "before Fly's proxy stops or suspends it, anything that keeps it awake) is billed as running. Health "
                + "never reaches a machine: through the Machines API it reads the MCP check flyd runs next to each "
                + "machine while that machine runs, so no probe keeps a server awake or wakes one. The run is "
                + "compressed and synthetic (a 30 s idle window, agents in bursts): production, with a longer window "
                + "and real agents, will sleep less, so treat the measured fraction as an upper bound until metering "
                + "shows the real one.\n\n"
                + table + "\n";
    }

    static String traffic(Projection projection) {
        CostModel model = projection.model();
        CostModel.Traffic traffic = model.traffic();
        CostModel.Database db = model.database();
        PriceBook.Fly fly = projection.book().fly();
        var table = new MarkdownTable(List.of("Traffic", "Priced at"), List.of("Per team per month"));
        table.row(List.of(
                "internet egress (answers to agents, queries to the database)",
                "Fly $" + fly.egressPerGb().get("na-eu") + "/GB NA and EU, $"
                        + fly.egressPerGb().get("apac-oceania-sa")
                        + " APAC, Oceania, South America, $" + fly.egressPerGb().get("africa-india")
                        + " Africa and India; AWS $"
                        + model.alternativesEgressPerGb().get("aws") + ", Google $"
                        + model.alternativesEgressPerGb().get("gcp") + ", Azure $"
                        + model.alternativesEgressPerGb().get("azure"),
                gb(traffic.internetEgressGbPerTeamMonth())));
        table.row(List.of(
                "database egress (rows sent to the team server)",
                db.egressIncludedGb().toPlainString() + " GB included per organization, then $" + db.egressPerGb()
                        + "/GB",
                gb(traffic.databaseEgressGbPerTeamMonth())));
        table.row(List.of(
                "Kafka in and out (its events, read by every consumer)",
                "$" + model.platform().kafka().perGbInOut() + "/GB, plus $"
                        + model.platform().kafka().perGbMonthStored() + "/GB-month stored",
                gb(traffic.kafkaGbPerTeamMonth())));
        table.row(List.of(
                "traces",
                model.platform().tracing().includedGb().toPlainString() + " GB included, then $"
                        + model.platform().tracing().perGb() + "/GB",
                gb(traffic.traceGbPerTeamMonth())));
        return "## Traffic and database assumptions\n\n"
                + "Estimates, not measurements: nothing here has metered a team's traffic yet. JSON-RPC over HTTP is "
                + "small, so these lines are cents per team; they matter at fleet scale through the quotas.\n\n"
                + table + "\n"
                + "Database connections: " + db.connectionsPerAwakeTeam().toPlainString() + " client connection per "
                + "awake team server (its pool keeps one open while it is awake and opens up to four under load), "
                + "through the database's pooler; " + db.platformConnections() + " direct connections for the "
                + "platform (" + platformMachines(model) + " machines of its services, each with a connection pool). "
                + "Teams are spread over "
                + db.projects() + " database projects (one per residency group served), more when one project "
                + "cannot take the connections.\n\n";
    }

    static String platform(Projection projection) {
        var costs = new PlatformCosts(projection.book(), projection.model());
        var headings = new ArrayList<String>();
        CostAnalysisDoc.FLEETS.forEach(teams -> headings.add(String.format("%,d teams", teams.intValueExact())));
        var table = new MarkdownTable(List.of("Item", "What"), headings);
        List<List<PlatformCosts.Line>> columns = CostAnalysisDoc.FLEETS.stream()
                .map(teams -> costs.lines(teams, Profile.BUSINESS_HOURS))
                .toList();
        for (int row = 0; row < columns.get(0).size(); row++) {
            PlatformCosts.Line line = columns.get(0).get(row);
            var cells = new ArrayList<>(List.of(line.item(), line.detail()));
            for (List<PlatformCosts.Line> column : columns) {
                cells.add(money(column.get(row).monthly()));
            }
            table.row(cells);
        }
        var total = new ArrayList<>(List.of("**Total on demand**", ""));
        var reserved =
                new ArrayList<>(List.of("**Total with reservations**", "the platform's always-on apps reserved"));
        var sizing = new ArrayList<>(List.of("Database sizing", "projects and compute sizes at the busiest hour"));
        var allowListing = new ArrayList<>(List.of(
                "If the database allow-listed IPs instead",
                "a static egress IP per team app and platform app (" + money(costs.staticEgressIpMonthly())
                        + " a month each)"));
        for (BigDecimal teams : CostAnalysisDoc.FLEETS) {
            total.add("**" + money(costs.total(teams, Profile.BUSINESS_HOURS)) + "**");
            reserved.add("**" + money(costs.totalReserved(teams, Profile.BUSINESS_HOURS)) + "**");
            sizing.add(costs.databaseSizing(teams, Profile.BUSINESS_HOURS).describe());
            allowListing.add("+" + money(costs.staticEgressForAllowListing(teams)));
        }
        table.row(total).row(reserved).row(sizing).row(allowListing);
        return "## Platform fixed costs (business hours profile)\n\n"
                + "What runs whatever the teams do, per month. The database follows the fleet: its compute size is "
                + "the smallest whose pooler takes the client connections of the teams awake at the busiest hour "
                + "(vendor-recommended maxima), its egress beyond the plan's quota is billed per GB. IP allow-listing "
                + "is not used: Fly's static egress IPs are per app and per region, so it would cost a static IP per "
                + "team (last row), more than a sleeping team's machine; per-team credentials over TLS and row-level "
                + "security are the controls.\n\n"
                + table + "\n";
    }

    static String reading(Projection projection) {
        return "## Reading it\n\n"
                + "- With autostop, Fly bills a sleeping team only for its root filesystem, so the cost follows "
                + "activity; Fargate and ACI have no native scale-to-zero for a request-driven service (a stop/start "
                + "controller is needed and its cold starts are tens of seconds), so their rows assume one is built.\n"
                + "- Cloud Run also bills only active time, but at the highest rate per active second here; below "
                + "1 vCPU it forces concurrency 1 and it caps services at 1,000 per project and region: at 10,000 "
                + "teams that is ten projects to operate.\n"
                + "- Reservations pay off only for compute that runs anyway: the business plan's warm machine and "
                + "the platform's services. They do not discount a team that sleeps.\n"
                + "- The nominal profiles are the best case for every provider that sleeps; the measured idle "
                + "fraction says how close this system comes to it on Fly.\n"
                + "- See [evaluation.md](evaluation.md) for isolation, speed and the recommendation; these numbers are "
                + "price only.\n";
    }

    static String idleFraction(CostModel model) {
        BigDecimal measured = model.measured().idleFraction();
        return measured == null
                ? CostAnalysisDoc.IDLE_FRACTION_PLACEHOLDER
                : percent(measured, BigDecimal.ONE).replace("%", "") + "% (" + measured.toPlainString() + ")";
    }

    static String percent(BigDecimal part, BigDecimal whole) {
        return part.multiply(BigDecimal.valueOf(100))
                        .divide(whole, 1, RoundingMode.HALF_EVEN)
                        .stripTrailingZeros()
                        .toPlainString()
                + "%";
    }

    private static String largestLine(List<PlatformCosts.Line> lines) {
        PlatformCosts.Line largest = lines.get(0);
        for (PlatformCosts.Line line : lines) {
            if (line.monthly().compareTo(largest.monthly()) > 0) {
                largest = line;
            }
        }
        return largest.item().toLowerCase(java.util.Locale.ROOT) + " (" + largest.detail() + ", "
                + money(largest.monthly()) + ")";
    }

    private static int platformMachines(CostModel model) {
        return model.platform().services() * model.platform().instancesPerService();
    }

    private static String gb(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString() + " GB";
    }

    private static String thousands(BigDecimal value) {
        return String.format("%,d", value.intValueExact());
    }
}
