package com.employable.flotilla.localfly.apps;

import java.time.Instant;

/**
 * A Fly app. Its secrets, IPs and machines are other resources, keyed by its name or id.
 *
 * @param networkId the 6PN network's number: apps of one org on one network share it, {@code default} is 1
 */
public record App(String id, String name, String org, String network, int networkId, Instant createdAt) {}
