package com.employable.flotilla.billing.metering;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param closeGrace    an hour closes this long after it ends, so events that arrive a little late still land in it
 * @param closeInterval how often closable hours are looked for
 * @param budgets       optional monthly budget per plan (USD); a team over it gets one budget-exceeded per month
 */
@ConfigurationProperties("flotilla.billing")
public record BillingProperties(
        @DefaultValue("2m") Duration closeGrace,
        @DefaultValue("30s") Duration closeInterval,
        Map<String, BigDecimal> budgets) {
    public BillingProperties {
        budgets = budgets == null ? Map.of() : Map.copyOf(budgets);
    }
}
