package com.employable.flotilla.health.probe;

import com.employable.flotilla.common.auth.TeamCredentials;

/**
 * The per-team probe bearer tokens, derived from the platform probe key ({@code FLOTILLA_PROBE_KEY}) the provisioner
 * also holds, so no token is stored or shipped. The key never leaves this object; tokens are derived per probe and
 * never kept in records, logs or events.
 */
public class ProbeTokens {

    private final byte[] probeKey;

    /** From configuration: base64 of at least 32 bytes, or start-up fails naming the setting (never its value). */
    public static ProbeTokens fromConfiguration(String configured) {
        return new ProbeTokens(
                TeamCredentials.platformKey(configured, "FLOTILLA_PROBE_KEY (flotilla.health.probe-key)"));
    }

    public ProbeTokens(byte[] probeKey) {
        this.probeKey = probeKey.clone();
    }

    public String tokenFor(String teamId) {
        return TeamCredentials.probeToken(probeKey, teamId);
    }

    @Override
    public String toString() {
        return "ProbeTokens[key=***]";
    }
}
