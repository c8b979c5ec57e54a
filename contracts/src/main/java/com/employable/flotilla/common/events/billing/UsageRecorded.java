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
 * {@code com.employable.flotilla.billing.usage-recorded.v1}: a team's closed hour, metered per second and priced.
 * Published once per team and hour; {@code usageId} is deterministic ({@code <teamId>:<yyyy-MM-ddTHH>}), so finance can
 * de-duplicate on it.
 *
 * @param usageId {@code <teamId>:<hour>}
 * @param teamId the team
 * @param periodStart start of the hour (inclusive)
 * @param periodEnd end of the hour (exclusive)
 * @param currency {@code USD}
 * @param priceBook the price book version the hour was priced with
 * @param lines the metered lines
 * @param total the sum of the lines' amounts
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UsageRecorded(
        @JsonProperty(value = "usageId", required = true) String usageId,
        @JsonProperty(value = "teamId", required = true) String teamId,

        @JsonProperty(value = "periodStart", required = true)
        Instant periodStart,

        @JsonProperty(value = "periodEnd", required = true) Instant periodEnd,
        @JsonProperty(value = "currency", required = true) String currency,
        @JsonProperty(value = "priceBook", required = true) String priceBook,
        @JsonProperty(value = "lines", required = true) List<UsageLine> lines,

        @JsonProperty(value = "total", required = true) @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal total)
        implements BillingEvent {

    public static final String TYPE = "com.employable.flotilla.billing.usage-recorded.v1";

    public UsageRecorded {
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
