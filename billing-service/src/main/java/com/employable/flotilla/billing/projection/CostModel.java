package com.employable.flotilla.billing.projection;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the cost analysis needs beyond the unit prices of team machines ({@code pricebook/cost-model.json}): what this
 * system measured, traffic per team, the database's connection plan and the platform's fixed costs. Kept apart from
 * the price books because metering never reads it: only projections and documents do.
 */
public record CostModel(
        String id,
        Measured measured,
        Traffic traffic,
        Map<String, BigDecimal> alternativesEgressPerGb,
        Map<String, List<String>> flyEgressGroups,
        Database database,
        Platform platform,
        List<String> sources) {

    /** @param idleFraction share of idle team-seconds spent stopped or suspended; null until the harness measured it */
    public record Measured(BigDecimal idleFraction, String idleFractionSource) {
        public Measured {
            if (idleFraction != null && (idleFraction.signum() < 0 || idleFraction.compareTo(BigDecimal.ONE) > 0)) {
                throw new IllegalArgumentException("measured.idleFraction must be within 0..1, got " + idleFraction);
            }
        }
    }

    public record Traffic(
            BigDecimal internetEgressGbPerTeamMonth,
            BigDecimal databaseEgressGbPerTeamMonth,
            BigDecimal kafkaGbPerTeamMonth,
            BigDecimal traceGbPerTeamMonth,
            BigDecimal requestsPerTeamMonth) {}

    public record Database(
            String name,
            BigDecimal planMonthly,
            BigDecimal computeCreditMonthly,
            int projects,
            BigDecimal connectionsPerAwakeTeam,
            int platformConnections,
            BigDecimal egressIncludedGb,
            BigDecimal egressPerGb,
            List<Tier> tiers) {
        public Database {
            if (tiers.isEmpty() || projects < 1) {
                throw new IllegalArgumentException("database needs at least one tier and one project");
            }
        }
    }

    /** A database compute size with the connections its vendor recommends at most, directly and through its pooler. */
    public record Tier(String name, BigDecimal hourly, int direct, int poolerClients) {}

    public record Platform(
            String region,
            int services,
            int instancesPerService,
            String cpuKind,
            int cpus,
            int memoryMb,
            int warmPoolEntries,
            int rootfsGb,
            BigDecimal staticEgressIpHour,
            Kafka kafka,
            Tracing tracing,
            Support support) {}

    public record Kafka(
            String name, int eckus, BigDecimal eckuHour, BigDecimal perGbInOut, BigDecimal perGbMonthStored) {}

    public record Tracing(String name, BigDecimal monthly, BigDecimal includedGb, BigDecimal perGb) {}

    public record Support(String name, BigDecimal monthly) {}

    public static CostModel load() {
        try (InputStream in = CostModel.class.getResourceAsStream("/pricebook/cost-model.json")) {
            if (in == null) {
                throw new IllegalStateException("pricebook/cost-model.json missing from the build");
            }
            JsonMapper mapper = JsonMapper.builder()
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .build();
            return mapper.readValue(in.readAllBytes(), CostModel.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the cost model", e);
        }
    }

    /** The same model with a measured idle fraction, as the harness would report it. */
    public CostModel withIdleFraction(BigDecimal idleFraction) {
        return new CostModel(
                id,
                new Measured(idleFraction, measured.idleFractionSource()),
                traffic,
                alternativesEgressPerGb,
                flyEgressGroups,
                database,
                platform,
                sources);
    }

    /** Fly's egress price group of a region: NA and EU unless listed otherwise. */
    public String flyEgressGroup(String region) {
        return flyEgressGroups.entrySet().stream()
                .filter(group -> group.getValue().contains(region))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse("na-eu");
    }
}
