package com.employable.flotilla.localfly.machines;

/** @param timestamp epoch milliseconds, as Fly answers it */
public record MachineEvent(String id, String type, String status, String source, long timestamp) {}
