package com.employable.flotilla.common.events.billing;

import com.employable.flotilla.common.events.Require;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * {@code com.employable.flotilla.billing.usage-adjusted.v1}: a late event changed an hour already recorded. Carries
 * the difference only: finance adds it to the recorded hour named by {@code usageId}.
 *
 * @param adjustmentId deterministic id of this adjustment ({@code <usageId>:<sequence>})
 * @param usageId the recorded hour this adjusts
 * @param teamId the team
 * @param periodStart start of the hour
 * @param periodEnd end of the hour
 * @param currency {@code USD}
 * @param priceBook the price book the hour was priced with (closed hours are never repriced)
 * @param lines per-line differences (quantity and amount may be negative)
 * @param total the sum of the differences
 * @param reason why the hour changed, e.g. {@code late-event}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UsageAdjusted(
        @JsonProperty(value = "adjustmentId", required = true)
        String adjustmentId,

        @JsonProperty(value = "usageId", required = true) String usageId,
        @JsonProperty(value = "teamId", required = true) String teamId,

        @JsonProperty(value = "periodStart", required = true)
        Instant periodStart,

        @JsonProperty(value = "periodEnd", required = true) Instant periodEnd,
        @JsonProperty(value = "currency", required = true) String currency,
        @JsonProperty(value = "priceBook", required = true) String priceBook,
        @JsonProperty(value = "lines", required = true) List<UsageLine> lines,

        @JsonProperty(value = "total", required = true) @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal total,

        @JsonProperty("reason") String reason)
        implements BillingEvent {

    public static final String TYPE = "com.employable.flotilla.billing.usage-adjusted.v1";

    public UsageAdjusted {
        Require.text(adjustmentId, "adjustmentId");
        Require.text(usageId, "usageId");
        Require.teamId(teamId, "teamId");
        Require.present(periodStart, "periodStart");
        Require.present(periodEnd, "periodEnd");
        Require.text(currency, "currency");
        Require.text(priceBook, "priceBook");
        lines = Require.list(lines, "lines");
        Require.present(total, "total");
    }
}
