package com.employable.flotilla.billing.projection;

import com.employable.flotilla.billing.pricing.PriceBook;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Monthly cost of the fleet on each provider, from a price book, the cost model and assumptions. Everything is list
 * price, exact decimals, rounded to cents only for display. The shapes mirror the provisioner's default plans.
 */
public final class Projection {

    static final MathContext MC = MathContext.DECIMAL128;
    public static final BigDecimal HOURS_PER_MONTH = BigDecimal.valueOf(730);
    /** Fly prices rootfs per 30 days (720 h). */
    static final BigDecimal ROOTFS_HOURS = BigDecimal.valueOf(720);

    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);
    /** A Fly shared vCPU is a burstable quarter-core-ish slice; the alternatives are sized at 0.25 vCPU per shared vCPU. */
    private static final BigDecimal VCPU_PER_SHARED_CPU = new BigDecimal("0.25");

    public enum Provider {
        FLY("Fly.io on demand"),
        FLY_RESERVED("Fly.io with reservations"),
        FARGATE_X86("AWS Fargate x86"),
        FARGATE_ARM("AWS Fargate ARM"),
        CLOUD_RUN("Google Cloud Run"),
        ACI("Azure Container Instances");

        public final String label;

        Provider(String label) {
            this.label = label;
        }

        public boolean isFly() {
            return this == FLY || this == FLY_RESERVED;
        }
    }

    /** @param alwaysOn machines of the plan that never stop; the rest run {@code activeHours} a month */
    public record PlanShape(String name, String cpuKind, int cpus, int memoryMb, int machines, int alwaysOn) {}

    public static final List<PlanShape> PLANS = List.of(
            new PlanShape("starter", "shared", 1, 256, 1, 0),
            new PlanShape("team", "shared", 1, 512, 1, 0),
            new PlanShape("business", "shared", 2, 1024, 2, 1));

    /**
     * Hours a machine that can stop runs per month, and the share of teams awake at the busiest hour (what the
     * database's connections are sized for).
     */
    public record Profile(String name, BigDecimal activeHours, BigDecimal peakAwakeShare) {
        public static final Profile ALWAYS_ON = new Profile("always on", new BigDecimal("730"), BigDecimal.ONE);
        /** Everyone's office hours overlap: at ten in the morning every team is awake. */
        public static final Profile BUSINESS_HOURS =
                new Profile("business hours with autostop (8 h x 22 days)", new BigDecimal("176"), BigDecimal.ONE);
        /** The hour falls anywhere in eight office hours, so an eighth of the teams are awake at once. */
        public static final Profile HOUR_A_DAY =
                new Profile("an hour a day", new BigDecimal("30.4"), new BigDecimal("0.125"));

        public static final List<Profile> STANDARD = List.of(ALWAYS_ON, BUSINESS_HOURS, HOUR_A_DAY);

        public Profile {
            if (activeHours.signum() < 0 || activeHours.compareTo(HOURS_PER_MONTH) > 0) {
                throw new IllegalArgumentException("active hours must be within 0..730, got " + activeHours);
            }
            if (peakAwakeShare.signum() < 0 || peakAwakeShare.compareTo(BigDecimal.ONE) > 0) {
                throw new IllegalArgumentException("peak awake share must be within 0..1, got " + peakAwakeShare);
            }
        }

        /**
         * The profile as billed when only {@code idleFraction} of the idle time is spent asleep: the rest (the idle
         * window before autostop, anything that keeps a server awake) runs at the compute price.
         */
        public Profile sleepingOnly(BigDecimal idleFraction) {
            BigDecimal idle = HOURS_PER_MONTH.subtract(activeHours);
            BigDecimal awakeWhileIdle = idle.multiply(BigDecimal.ONE.subtract(idleFraction));
            return new Profile(name, activeHours.add(awakeWhileIdle), peakAwakeShare);
        }
    }

    public record Assumptions(
            BigDecimal teamsNow,
            BigDecimal monthlyGrowth,
            Map<String, BigDecimal> planMix,
            Profile profile,
            Map<String, BigDecimal> regionMix,
            int months) {
        public Assumptions {
            BigDecimal mix = planMix.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal regions = regionMix.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            if (mix.compareTo(BigDecimal.ONE) != 0 || regions.compareTo(BigDecimal.ONE) != 0) {
                throw new IllegalArgumentException("plan mix and region mix must each add up to 1");
            }
            if (months < 1 || months > 60) {
                throw new IllegalArgumentException("months must be 1..60");
            }
        }

        public Assumptions withTeams(BigDecimal teams, Profile newProfile) {
            return new Assumptions(teams, monthlyGrowth, planMix, newProfile, regionMix, months);
        }
    }

    private final PriceBook book;
    private final CostModel model;

    public Projection(PriceBook book, CostModel model) {
        this.book = book;
        this.model = model;
    }

    public PriceBook book() {
        return book;
    }

    public CostModel model() {
        return model;
    }

    /**
     * One team's machines of one plan for a month, in one region (Fly) or the provider's base region (the others),
     * without traffic. Reservations discount only compute that runs the whole month (an always-on profile, or a
     * plan's always-on machine): they are prepaid per region and their credits do not roll over, so the hours of a
     * machine that stops when idle are priced on demand.
     */
    public BigDecimal perTeamMonthly(Provider provider, PlanShape plan, Profile profile, String region) {
        BigDecimal active = profile.activeHours();
        boolean runsAllMonth = active.compareTo(HOURS_PER_MONTH) >= 0;
        int fullMonthMachines = runsAllMonth ? plan.machines() : plan.alwaysOn();
        BigDecimal fullMonthHours = HOURS_PER_MONTH.multiply(BigDecimal.valueOf(fullMonthMachines));
        BigDecimal stoppableHours =
                runsAllMonth ? BigDecimal.ZERO : active.multiply(BigDecimal.valueOf(plan.machines() - plan.alwaysOn()));
        BigDecimal machineHours = fullMonthHours.add(stoppableHours);
        BigDecimal idleHours =
                HOURS_PER_MONTH.multiply(BigDecimal.valueOf(plan.machines())).subtract(machineHours);
        BigDecimal vcpu = VCPU_PER_SHARED_CPU.multiply(BigDecimal.valueOf(plan.cpus()));
        BigDecimal gb = BigDecimal.valueOf(plan.memoryMb())
                .divide(BigDecimal.valueOf(1024), MC)
                .max(new BigDecimal("0.5"));
        var alternatives = book.alternatives();
        return switch (provider) {
            case FLY, FLY_RESERVED -> {
                BigDecimal monthly = book.computeMonthly(plan.cpuKind(), plan.cpus(), plan.memoryMb(), region);
                BigDecimal reservable = provider == Provider.FLY_RESERVED
                        ? fullMonthHours.multiply(
                                BigDecimal.ONE.subtract(book.fly().reservationDiscount()))
                        : fullMonthHours;
                BigDecimal compute =
                        monthly.multiply(reservable.add(stoppableHours)).divide(HOURS_PER_MONTH, MC);
                BigDecimal rootfs =
                        book.fly().rootfsGbPer30Days().multiply(idleHours).divide(ROOTFS_HOURS, MC);
                yield compute.add(rootfs);
            }
            case FARGATE_X86, FARGATE_ARM -> {
                PriceBook.Hourly price =
                        provider == Provider.FARGATE_X86 ? alternatives.fargateX86() : alternatives.fargateArm();
                yield price.vcpuHour()
                        .multiply(vcpu)
                        .add(price.gbHour().multiply(gb))
                        .add(price.publicIpv4Hour())
                        .multiply(machineHours);
            }
            case CLOUD_RUN -> {
                PriceBook.CloudRun price = alternatives.cloudRun();
                BigDecimal seconds = machineHours.multiply(SECONDS_PER_HOUR);
                yield price.vcpuSecond()
                        .multiply(vcpu)
                        .add(price.gibSecond().multiply(gb))
                        .multiply(seconds)
                        .add(price.perMillionRequests()
                                .multiply(model.traffic().requestsPerTeamMonth())
                                .divide(BigDecimal.valueOf(1_000_000), MC));
            }
            case ACI ->
                alternatives
                        .aci()
                        .vcpuHour()
                        .multiply(vcpu)
                        .add(alternatives.aci().gbHour().multiply(gb))
                        .multiply(machineHours);
        };
    }

    /** One team's internet egress for a month (answers to its agents), at the provider's first-tier price. */
    public BigDecimal egressMonthly(Provider provider, String region) {
        BigDecimal perGb = switch (provider) {
            case FLY, FLY_RESERVED -> book.fly().egressPerGb().get(model.flyEgressGroup(region));
            case FARGATE_X86, FARGATE_ARM -> model.alternativesEgressPerGb().get("aws");
            case CLOUD_RUN -> model.alternativesEgressPerGb().get("gcp");
            case ACI -> model.alternativesEgressPerGb().get("azure");
        };
        return perGb.multiply(model.traffic().internetEgressGbPerTeamMonth());
    }

    /** One team for a month: its machines and its internet egress. */
    public BigDecimal perTeamWithEgress(Provider provider, PlanShape plan, Profile profile, String region) {
        return perTeamMonthly(provider, plan, profile, region).add(egressMonthly(provider, region));
    }

    /** The mix-weighted cost of one average team for a month, egress included. */
    public BigDecimal averageTeamMonthly(Provider provider, Assumptions assumptions) {
        BigDecimal total = BigDecimal.ZERO;
        for (PlanShape plan : PLANS) {
            BigDecimal share = assumptions.planMix().getOrDefault(plan.name(), BigDecimal.ZERO);
            for (var region : assumptions.regionMix().entrySet()) {
                total = total.add(perTeamWithEgress(provider, plan, assumptions.profile(), region.getKey())
                        .multiply(share)
                        .multiply(region.getValue()));
            }
        }
        return total;
    }

    public record Month(int index, BigDecimal teams, Map<Provider, BigDecimal> cost) {}

    /** The teams' servers month by month as the fleet grows (platform costs are apart: {@link PlatformCosts}). */
    public List<Month> months(Assumptions assumptions) {
        Map<Provider, BigDecimal> perTeam = new LinkedHashMap<>();
        for (Provider provider : Provider.values()) {
            perTeam.put(provider, averageTeamMonthly(provider, assumptions));
        }
        List<Month> months = new ArrayList<>();
        BigDecimal teams = assumptions.teamsNow();
        for (int m = 1; m <= assumptions.months(); m++) {
            Map<Provider, BigDecimal> cost = new LinkedHashMap<>();
            for (Provider provider : Provider.values()) {
                cost.put(provider, perTeam.get(provider).multiply(teams));
            }
            months.add(new Month(m, teams, cost));
            teams = teams.multiply(BigDecimal.ONE.add(assumptions.monthlyGrowth()));
        }
        return months;
    }

    public static String money(BigDecimal value) {
        return "$" + String.format("%,.2f", value.setScale(2, RoundingMode.HALF_EVEN));
    }

    /** Whole dollars, for fleet totals where cents are noise. */
    public static String dollars(BigDecimal value) {
        return "$"
                + String.format("%,d", value.setScale(0, RoundingMode.HALF_EVEN).longValueExact());
    }
}
