package com.employable.flotilla.common.operator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an {@code Authorization: Bearer} header against the operator token(s), in constant time. The tokens are
 * compared as SHA-256 digests, so neither their length nor a common prefix shows in the timing.
 */
public final class OperatorToken {

    static final int MIN_LENGTH = 32;

    private static final String BEARER = "Bearer ";

    private final List<byte[]> digests;

    /** @throws IllegalArgumentException when the token is missing or shorter than 32 characters */
    public OperatorToken(String token, String previousToken) {
        digests = new ArrayList<>();
        digests.add(digest(required(token, "FLOTILLA_OPERATOR_TOKEN")));
        if (previousToken != null && !previousToken.isBlank()) {
            digests.add(digest(required(previousToken, "FLOTILLA_OPERATOR_TOKEN_PREVIOUS")));
        }
    }

    /** Whether the header carries an operator token. */
    public boolean admits(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] presented = digest(authorizationHeader.substring(BEARER.length()).trim());
        boolean admitted = false;
        for (byte[] expected : digests) {
            admitted |= MessageDigest.isEqual(expected, presented);
        }
        return admitted;
    }

    private static String required(String token, String name) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(name + " is not configured: the internal API needs an operator token");
        }
        if (token.trim().length() < MIN_LENGTH) {
            throw new IllegalArgumentException(name + " must be at least " + MIN_LENGTH + " characters");
        }
        return token.trim();
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", impossible);
        }
    }

    @Override
    public String toString() {
        return "OperatorToken[" + digests.size() + " accepted]";
    }
}
