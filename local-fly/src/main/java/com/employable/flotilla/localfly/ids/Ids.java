package com.employable.flotilla.localfly.ids;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Identifiers shaped like Fly's: 14-hex machine ids, 26-character ULID versions, 12-hex lease nonces. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private Ids() {}

    public static String hex(int chars) {
        byte[] bytes = new byte[(chars + 1) / 2];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes).substring(0, chars);
    }

    public static String ulid() {
        long time = System.currentTimeMillis();
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        for (int i = 10; i < 26; i++) {
            out[i] = CROCKFORD[RANDOM.nextInt(32)];
        }
        return new String(out);
    }
}
