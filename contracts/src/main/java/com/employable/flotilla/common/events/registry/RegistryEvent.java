package com.employable.flotilla.common.events.registry;

import com.employable.flotilla.common.events.TeamEvent;

/**
 * The discovery table, on the compacted {@code flotilla.registry.v1}: the latest value per team is the truth, a null
 * value (tombstone) means the team is gone.
 */
public sealed interface RegistryEvent extends TeamEvent permits RegistryEntry {}
