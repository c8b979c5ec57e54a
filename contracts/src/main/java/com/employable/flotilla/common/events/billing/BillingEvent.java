package com.employable.flotilla.common.events.billing;

import com.employable.flotilla.common.events.TeamEvent;

/** What a team costs, for finance, on {@code flotilla.billing.usage.v1}. Money is a decimal string in USD. */
public sealed interface BillingEvent extends TeamEvent permits UsageRecorded, UsageAdjusted, BudgetExceeded {}
