package com.employable.flotilla.billing.projection;

import com.employable.flotilla.billing.projection.Projection.Assumptions;
import com.employable.flotilla.billing.projection.Projection.Profile;
import com.employable.flotilla.billing.projection.Projection.Provider;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fleet of a given size and activity for one month: the teams' servers on each provider (plan and region mix of
 * the document's scenario, egress included) plus the platform's fixed costs. The platform is priced on Fly and added
 * to every provider alike; with reservations where the Fly column has them.
 */
record FleetTotal(
        BigDecimal teams,
        Profile profile,
        BigDecimal platform,
        BigDecimal platformReserved,
        Map<Provider, BigDecimal> total) {

    static FleetTotal of(Projection projection, BigDecimal teams, Profile profile) {
        var platformCosts = new PlatformCosts(projection.book(), projection.model());
        BigDecimal platform = platformCosts.total(teams, profile);
        BigDecimal platformReserved = platformCosts.totalReserved(teams, profile);
        Assumptions assumptions = CostAnalysisDoc.SCENARIO.withTeams(teams, profile);
        Map<Provider, BigDecimal> total = new LinkedHashMap<>();
        for (Provider provider : Provider.values()) {
            BigDecimal servers =
                    projection.averageTeamMonthly(provider, assumptions).multiply(teams);
            total.put(provider, servers.add(provider == Provider.FLY_RESERVED ? platformReserved : platform));
        }
        return new FleetTotal(teams, profile, platform, platformReserved, total);
    }
}
