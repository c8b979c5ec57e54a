package com.employable.flotilla.common.events.billing;

import com.employable.flotilla.common.events.Require;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * {@code com.employable.flotilla.billing.budget-exceeded.v1}: a team's month-to-date cost passed its plan's budget
 * (published once per team and month).
 *
 * @param teamId the team
 * @param plan the team's plan
 * @param month the month, {@code yyyy-MM}
 * @param budget the plan's monthly budget in USD
 * @param spent month-to-date cost in USD when the budget was passed
 * @param occurredAt when billing noticed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BudgetExceeded(
        @JsonProperty(value = "teamId", required = true) String teamId,
        @JsonProperty(value = "plan", required = true) String plan,
        @JsonProperty(value = "month", required = true) String month,

        @JsonProperty(value = "budget", required = true) @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal budget,

        @JsonProperty(value = "spent", required = true) @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal spent,

        @JsonProperty(value = "occurredAt", required = true) Instant occurredAt)
        implements BillingEvent {

    public static final String TYPE = "com.employable.flotilla.billing.budget-exceeded.v1";

    public BudgetExceeded {
        Require.teamId(teamId, "teamId");
        Require.text(plan, "plan");
        Require.text(month, "month");
        Require.present(budget, "budget");
        Require.present(spent, "spent");
        Require.present(occurredAt, "occurredAt");
    }
}
