package com.employable.flotilla.registry.discovery;

import java.time.Instant;

/**
 * A team's visible row of the discovery table.
 *
 * @param view the entry's content
 * @param version the version it was published with (monotonic per team)
 * @param updatedAt when the registry published it
 */
public record RegisteredServer(ServerView view, long version, Instant updatedAt) {}
