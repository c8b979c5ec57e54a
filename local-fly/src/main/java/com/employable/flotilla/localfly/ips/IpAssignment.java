package com.employable.flotilla.localfly.ips;

import java.time.Instant;

/** @param network the 6PN network of a Flycast ({@code private_v6}) address, null for public ones */
public record IpAssignment(String ip, String type, String region, boolean shared, String network, Instant createdAt) {}
