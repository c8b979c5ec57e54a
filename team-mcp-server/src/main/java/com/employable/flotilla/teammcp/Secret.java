package com.employable.flotilla.teammcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A secret value from the environment. Its {@code toString} never reveals it, so a config record can be logged or
 * put in an exception message without leaking the secret.
 */
public final class Secret {

    private final byte[] value;

    private Secret(byte[] value) {
        this.value = value.clone();
    }

    public static Secret ofUtf8(String value) {
        return new Secret(value.getBytes(StandardCharsets.UTF_8));
    }

    public static Secret ofBytes(byte[] value) {
        return new Secret(value);
    }

    public byte[] bytes() {
        return value.clone();
    }

    public String utf8() {
        return new String(value, StandardCharsets.UTF_8);
    }

    public int length() {
        return value.length;
    }

    /**
     * Compares in constant time. Both sides are hashed first so that neither the content nor the length of the
     * secret leaks through timing.
     */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(value), sha256(candidate.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && MessageDigest.isEqual(value, secret.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sha256(value));
    }

    @Override
    public String toString() {
        return "Secret[***]";
    }
}
