package com.employable.flotilla.localfly.checks;

import java.time.Instant;

/**
 * A check's result as the Machines API reports it in a machine's {@code checks[]}.
 *
 * @param status {@code passing}, {@code warning} or {@code critical}
 * @param output what the latest run saw
 * @param updatedAt when the status last changed (Fly: "the time ... represents the last time the status of the check
 *     changed", not the last run)
 */
public record CheckStatus(String name, String status, String output, Instant updatedAt) {

    public static final String PASSING = "passing";
    public static final String WARNING = "warning";
    public static final String CRITICAL = "critical";
}
