package com.employable.flotilla.localfly.leases;

/** @param expiresAt epoch seconds, as Fly answers it */
public record Lease(String nonce, long expiresAt, String owner, String description, String version) {}
