package com.employable.flotilla.localfly.machines;

import java.time.Instant;

/** A machine entered {@code state} at {@code at}: one step of its timeline, transient states included. */
public record StateChange(String state, Instant at) {}
