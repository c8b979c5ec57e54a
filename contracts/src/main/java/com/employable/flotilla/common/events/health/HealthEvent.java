package com.employable.flotilla.common.events.health;

import com.employable.flotilla.common.events.TeamEvent;

/** What the health-service concluded about a team's machines, on {@code flotilla.health.v1}. */
public sealed interface HealthEvent extends TeamEvent permits HealthChanged {}
