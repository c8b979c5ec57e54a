package com.employable.flotilla.teammcp.auth;

import com.employable.flotilla.teammcp.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The credential of Fly's machine check on {@code /healthz/mcp}: {@code base64url(HMAC-SHA256(probe token,
 * "flotilla/check-token/v1"))}, derived from the probe token the server already holds (and, during a rotation, from
 * the previous one too). A Fly check carries static headers from the machine's config, which anyone with a read
 * token on the Machines API can read; so the config carries this derived token, not the probe token: it opens
 * {@code /healthz/mcp} and nothing else, and does not give the probe token away. The provisioner derives the same
 * value when it writes the check into the machine config. A warm-pool machine is built before any team's probe token
 * exists, so its check carries a random token of its own, given as is in {@code FLOTILLA_CHECK_TOKEN} (as readable as
 * the check's header, and opening no more); it goes on opening the check after the machine becomes a team's by exec,
 * until the team's own config replaces both.
 *
 * <p>Derived on first use, not at start-up: the first HMAC loads the security providers, a cost a woken machine's
 * first agent request should not pay.
 */
public final class CheckTokens {

    static final String PURPOSE = "flotilla/check-token/v1";

    private final List<Secret> probeTokens;

    private final Optional<Secret> given;

    private volatile List<Secret> derived;

    public CheckTokens(List<Secret> probeTokens, Optional<Secret> given) {
        this.probeTokens = List.copyOf(probeTokens);
        this.given = given;
    }

    /** The check token for a probe token, as the provisioner writes it into the check's {@code Authorization}. */
    public static String derive(String probeToken) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(probeToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(mac.doFinal(PURPOSE.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }

    /** Whether any check token can be accepted at all (none without one: the check then fails closed). */
    boolean configured() {
        return !probeTokens.isEmpty() || given.isPresent();
    }

    /** Compared with every derived token, each in constant time. */
    boolean matches(String candidate) {
        boolean matches = false;
        for (Secret token : tokens()) {
            matches |= token.matches(candidate);
        }
        return matches;
    }

    private List<Secret> tokens() {
        List<Secret> tokens = derived;
        if (tokens == null) {
            tokens = Stream.concat(
                            probeTokens.stream().map(probe -> Secret.ofUtf8(derive(probe.utf8()))), given.stream())
                    .toList();
            derived = tokens;
        }
        return tokens;
    }
}
