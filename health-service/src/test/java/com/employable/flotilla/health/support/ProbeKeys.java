package com.employable.flotilla.health.support;

import com.employable.flotilla.health.probe.ProbeTokens;
import java.security.SecureRandom;
import java.util.Base64;

/** Platform probe keys for tests: the one the service under test holds, and another one (a mis-provisioned team). */
public final class ProbeKeys {

    /** What tests configure as {@code flotilla.health.probe-key}. */
    public static final String SERVICE_KEY_BASE64 = randomKey();

    public static final ProbeTokens SERVICE =
            new ProbeTokens(Base64.getDecoder().decode(SERVICE_KEY_BASE64));

    /** A different platform key: tokens derived from it are refused by servers provisioned with the service's. */
    public static final ProbeTokens OTHER = new ProbeTokens(Base64.getDecoder().decode(randomKey()));

    private ProbeKeys() {}

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
