package com.employable.flotilla.billing.metering;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param closeGrace    an hour closes this long after it ends, so events that arrive a little late still land in it
 * @param closeInterval how often closable hours are looked for
 * @param plans         the plans employable may name (the provisioner's plans); a team event naming any other is
 *                      dead-lettered, as the provisioner does
 * @param budgets       optional monthly budget per plan (USD); a team over it gets one budget-exceeded per month
 */
@ConfigurationProperties("flotilla.billing")
public record BillingProperties(
        @DefaultValue("2m") Duration closeGrace,
        @DefaultValue("30s") Duration closeInterval,
        @DefaultValue({"starter", "team", "business"}) List<String> plans,
        Map<String, BigDecimal> budgets) {
    public BillingProperties {
        plans = List.copyOf(new TreeSet<>(plans));
        budgets = budgets == null ? Map.of() : Map.copyOf(budgets);
        for (String plan : budgets.keySet()) {
            if (!plans.contains(plan)) {
                throw new IllegalArgumentException("flotilla.billing.budgets names plan '" + plan
                        + "', which is not in flotilla.billing.plans " + plans);
            }
        }
    }
}
