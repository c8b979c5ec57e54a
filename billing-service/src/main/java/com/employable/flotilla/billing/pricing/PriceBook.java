package com.employable.flotilla.billing.pricing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One version of the prices. Unit prices keep full precision (34 digits); amounts are rounded to the micro-dollar
 * once, per line, so a total is always the sum of the lines a finance team sees.
 */
public record PriceBook(
        String id, Instant effectiveFrom, String currency, List<String> sources, Fly fly, Alternatives alternatives) {

    public static final MathContext PRECISION = MathContext.DECIMAL128;
    public static final int AMOUNT_SCALE = 6;
    private static final BigDecimal MB_PER_GB = BigDecimal.valueOf(1024);
    private static final BigDecimal SECONDS_PER_30_DAYS = BigDecimal.valueOf(30L * 24 * 3600);

    public record Fly(
            long secondsPerMonth,
            BigDecimal sharedCpuMonthly,
            BigDecimal performanceCpuMonthly,
            BigDecimal ramGbMonthly,
            BigDecimal rootfsGbPer30Days,
            BigDecimal volumeGbMonthly,
            BigDecimal dedicatedIpv4Monthly,
            Map<String, BigDecimal> egressPerGb,
            BigDecimal reservationDiscount,
            Map<String, BigDecimal> regionMultipliers) {}

    public record Alternatives(Hourly fargateX86, Hourly fargateArm, CloudRun cloudRun, Hourly aci) {}

    public record Hourly(BigDecimal vcpuHour, BigDecimal gbHour, BigDecimal publicIpv4Hour) {}

    public record CloudRun(BigDecimal vcpuSecond, BigDecimal gibSecond, BigDecimal perMillionRequests) {}

    /** Regions without a published markup are priced like iad. */
    public BigDecimal regionMultiplier(String region) {
        return fly.regionMultipliers().getOrDefault(region, BigDecimal.ONE);
    }

    /** Fly's calculator: (vCPUs × CPU price + GB of RAM × RAM price) × regional markup, per 730-hour month. */
    public BigDecimal computeMonthly(String cpuKind, int cpus, int memoryMb, String region) {
        BigDecimal cpuPrice = "performance".equals(cpuKind) ? fly.performanceCpuMonthly() : fly.sharedCpuMonthly();
        BigDecimal ram =
                BigDecimal.valueOf(memoryMb).divide(MB_PER_GB, PRECISION).multiply(fly.ramGbMonthly());
        return cpuPrice.multiply(BigDecimal.valueOf(cpus)).add(ram).multiply(regionMultiplier(region), PRECISION);
    }

    public BigDecimal computePerSecond(String cpuKind, int cpus, int memoryMb, String region) {
        return computeMonthly(cpuKind, cpus, memoryMb, region)
                .divide(BigDecimal.valueOf(fly.secondsPerMonth()), PRECISION);
    }

    /** Stopped and suspended machines pay for their root filesystem only, per 30 days. */
    public BigDecimal rootfsPerSecond(int rootfsGb) {
        return fly.rootfsGbPer30Days().multiply(BigDecimal.valueOf(rootfsGb)).divide(SECONDS_PER_30_DAYS, PRECISION);
    }

    public static BigDecimal amount(BigDecimal unitPrice, long quantity) {
        return unitPrice.multiply(BigDecimal.valueOf(quantity)).setScale(AMOUNT_SCALE, RoundingMode.HALF_EVEN);
    }
}
