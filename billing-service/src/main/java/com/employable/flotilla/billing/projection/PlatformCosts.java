package com.employable.flotilla.billing.projection;

import com.employable.flotilla.billing.pricing.PriceBook;
import com.employable.flotilla.billing.projection.CostModel.Database;
import com.employable.flotilla.billing.projection.CostModel.Platform;
import com.employable.flotilla.billing.projection.CostModel.Tier;
import com.employable.flotilla.billing.projection.Projection.Profile;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the platform costs whatever the teams do: its four services on Fly, the warm pool, managed Kafka, the
 * database, the tracing backend and a support plan. Some lines grow with the fleet (traffic, the database's size,
 * which follows the connections of the teams awake at the busiest hour), so the lines depend on the number of teams
 * and on the activity profile.
 */
public final class PlatformCosts {

    private static final BigDecimal HOURS = Projection.HOURS_PER_MONTH;

    /** @param reserved the same line with reservations applied where they can be (always-on Fly compute) */
    public record Line(String item, String detail, BigDecimal monthly, BigDecimal reserved) {}

    /** The database's sizing for a fleet: projects, the compute size of each, and the peak client connections. */
    public record DatabaseSizing(int projects, List<Tier> tiers, BigDecimal peakClients) {
        public String describe() {
            var names = tiers.stream().map(Tier::name).toList();
            String sizes = names.size() == 1
                    ? names.get(0)
                    : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
            return projects + (projects == 1 ? " project: " : " projects: ") + sizes;
        }
    }

    private final PriceBook book;
    private final CostModel model;

    public PlatformCosts(PriceBook book, CostModel model) {
        this.book = book;
        this.model = model;
    }

    public List<Line> lines(BigDecimal teams, Profile profile) {
        Platform platform = model.platform();
        var lines = new ArrayList<Line>();
        int machines = platform.services() * platform.instancesPerService();
        BigDecimal apps = book.computeMonthly(
                        platform.cpuKind(), platform.cpus(), platform.memoryMb(), platform.region())
                .multiply(BigDecimal.valueOf(machines));
        lines.add(new Line(
                "Platform services on Fly",
                platform.services() + " apps x " + platform.instancesPerService() + " machines, " + platform.cpuKind()
                        + "-cpu-" + platform.cpus() + "x " + platform.memoryMb() + " MB, " + platform.region()
                        + ", always on",
                apps,
                apps.multiply(BigDecimal.ONE.subtract(book.fly().reservationDiscount()))));
        BigDecimal pool = book.fly()
                .rootfsGbPer30Days()
                .multiply(BigDecimal.valueOf((long) platform.warmPoolEntries() * platform.rootfsGb()))
                .multiply(HOURS)
                .divide(Projection.ROOTFS_HOURS, Projection.MC);
        lines.add(fixed(
                "Warm pool",
                platform.warmPoolEntries()
                        + " pre-created apps, each a suspended machine (billed like a stopped one: root filesystem only)",
                pool));
        lines.add(fixed("Managed Kafka", platform.kafka().name(), kafka(teams)));
        DatabaseSizing sizing = databaseSizing(teams, profile);
        lines.add(fixed("Database", model.database().name() + ", " + sizing.describe(), database(teams, sizing)));
        lines.add(fixed("Tracing backend", platform.tracing().name(), tracing(teams)));
        lines.add(fixed(
                "Support plan", platform.support().name(), platform.support().monthly()));
        lines.add(fixed(
                "Static egress IPs",
                "none: the database is reached with per-team credentials over TLS, not by IP allow-listing",
                BigDecimal.ZERO));
        return lines;
    }

    public BigDecimal total(BigDecimal teams, Profile profile) {
        return lines(teams, profile).stream().map(Line::monthly).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    public BigDecimal totalReserved(BigDecimal teams, Profile profile) {
        return lines(teams, profile).stream().map(Line::reserved).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /**
     * What allow-listing the database by IP would add: Fly's static egress IPs are app-scoped and per region, so
     * every team app and every platform app would need its own.
     */
    public BigDecimal staticEgressForAllowListing(BigDecimal teams) {
        BigDecimal ips = teams.add(BigDecimal.valueOf(model.platform().services()));
        return ips.multiply(model.platform().staticEgressIpHour()).multiply(HOURS);
    }

    /** Per-team share of the monthly price of one static egress IP. */
    public BigDecimal staticEgressIpMonthly() {
        return model.platform().staticEgressIpHour().multiply(HOURS);
    }

    private BigDecimal kafka(BigDecimal teams) {
        CostModel.Kafka kafka = model.platform().kafka();
        BigDecimal gb = teams.multiply(model.traffic().kafkaGbPerTeamMonth());
        return kafka.eckuHour()
                .multiply(BigDecimal.valueOf(kafka.eckus()))
                .multiply(HOURS)
                .add(gb.multiply(kafka.perGbInOut()))
                .add(gb.multiply(kafka.perGbMonthStored()));
    }

    private BigDecimal tracing(BigDecimal teams) {
        CostModel.Tracing tracing = model.platform().tracing();
        BigDecimal over = teams.multiply(model.traffic().traceGbPerTeamMonth())
                .subtract(tracing.includedGb())
                .max(BigDecimal.ZERO);
        return tracing.monthly().add(over.multiply(tracing.perGb()));
    }

    private BigDecimal database(BigDecimal teams, DatabaseSizing sizing) {
        Database database = model.database();
        BigDecimal compute = BigDecimal.ZERO;
        for (Tier tier : sizing.tiers()) {
            compute = compute.add(tier.hourly().multiply(HOURS));
        }
        BigDecimal egressOver = teams.multiply(model.traffic().databaseEgressGbPerTeamMonth())
                .subtract(database.egressIncludedGb())
                .max(BigDecimal.ZERO);
        return database.planMonthly()
                .add(compute.subtract(database.computeCreditMonthly()).max(BigDecimal.ZERO))
                .add(egressOver.multiply(database.egressPerGb()));
    }

    /**
     * Teams are spread evenly over the projects (one per residency group, more when one project cannot hold the
     * connections); each project gets the smallest compute size whose pooler takes its share of the peak client
     * connections, and the first one also holds the platform's direct connections.
     */
    public DatabaseSizing databaseSizing(BigDecimal teams, Profile profile) {
        Database database = model.database();
        Tier largest = database.tiers().get(database.tiers().size() - 1);
        BigDecimal clients = teams.multiply(profile.peakAwakeShare()).multiply(database.connectionsPerAwakeTeam());
        int projects = Math.max(
                database.projects(),
                clients.divide(BigDecimal.valueOf(largest.poolerClients()), 0, RoundingMode.CEILING)
                        .intValueExact());
        BigDecimal perProject = clients.divide(BigDecimal.valueOf(projects), 0, RoundingMode.CEILING);
        var tiers = new ArrayList<Tier>();
        for (int project = 0; project < projects; project++) {
            int direct = project == 0 ? database.platformConnections() : 0;
            tiers.add(smallestTier(perProject, direct));
        }
        return new DatabaseSizing(projects, tiers, clients);
    }

    private Tier smallestTier(BigDecimal poolerClients, int direct) {
        for (Tier tier : model.database().tiers()) {
            if (BigDecimal.valueOf(tier.poolerClients()).compareTo(poolerClients) >= 0 && tier.direct() >= direct) {
                return tier;
            }
        }
        throw new IllegalStateException(
                "no database size takes " + poolerClients + " clients and " + direct + " direct connections");
    }

    private static Line fixed(String item, String detail, BigDecimal monthly) {
        return new Line(item, detail, monthly, monthly);
    }
}
