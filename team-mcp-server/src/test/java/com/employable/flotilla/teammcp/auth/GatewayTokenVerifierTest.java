package com.employable.flotilla.teammcp.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of the gateway token, one row each: what the team server concludes about a token built that way. */
class GatewayTokenVerifierTest {

    private static final Instant NOW = Instant.parse("2026-11-30T09:00:00Z");
    private static final byte[] KEY = "current-team-token-key-of-32-bytes!".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PREVIOUS = "previous-team-token-key-of-32-byte".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FOREIGN = "some-other-teams-token-key-32-byte".getBytes(StandardCharsets.UTF_8);

    private final GatewayTokenVerifier verifier =
            new GatewayTokenVerifier(List.of(KEY, PREVIOUS), "alpha", Clock.fixed(NOW, ZoneOffset.UTC));

    static Stream<Arguments> tokens() {
        return Stream.of(
                row("a token the gateway minted for this team", KEY, c -> c, Verification.Accepted.class),
                row("signed with the previous key during a rotation", PREVIOUS, c -> c, Verification.Accepted.class),
                row("signed with another key", FOREIGN, c -> c, Verification.Rejected.class),
                row("another issuer", KEY, c -> c.issuer("employable"), Verification.Rejected.class),
                row("no issuer", KEY, c -> c.issuer(null), Verification.Rejected.class),
                row("no expiry", KEY, c -> c.expirationTime(null), Verification.Rejected.class),
                row("expired a minute ago", KEY, c -> c.expirationTime(at(-60)), Verification.Rejected.class),
                row("expired within the clock skew", KEY, c -> c.expirationTime(at(-10)), Verification.Accepted.class),
                row(
                        "living longer than ten minutes",
                        KEY,
                        c -> c.expirationTime(at(15 * 60)).issueTime(null),
                        Verification.Rejected.class),
                row(
                        "issued more than ten minutes before its expiry",
                        KEY,
                        c -> c.issueTime(at(-9 * 60)).expirationTime(at(5 * 60)),
                        Verification.Rejected.class),
                row(
                        "issued in the future",
                        KEY,
                        c -> c.issueTime(at(120)).expirationTime(at(300)),
                        Verification.Rejected.class),
                row("not valid yet", KEY, c -> c.notBeforeTime(at(120)), Verification.Rejected.class),
                row("no subject", KEY, c -> c.subject(null), Verification.Rejected.class),
                row(
                        "for another team",
                        KEY,
                        c -> c.audience("flotilla-team:beta").claim("team_id", "beta"),
                        Verification.OtherTeam.class),
                row(
                        "audience of this team, claim of another",
                        KEY,
                        c -> c.claim("team_id", "beta"),
                        Verification.OtherTeam.class),
                row(
                        "no audience and no team",
                        KEY,
                        c -> c.audience((String) null).claim("team_id", null),
                        Verification.Rejected.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokens")
    void judgesEachRuleOfTheGatewayToken(
            String name, byte[] key, UnaryOperator<JWTClaimsSet.Builder> change, Class<? extends Verification> expected)
            throws Exception {
        JWTClaimsSet claims = change.apply(new JWTClaimsSet.Builder()
                        .issuer("flotilla-gateway")
                        .audience("flotilla-team:alpha")
                        .claim("team_id", "alpha")
                        .subject("agent-7")
                        .issueTime(at(-60))
                        .expirationTime(at(4 * 60)))
                .build();

        Verification verdict = verifier.verify(signed(claims, key));

        assertThat(verdict).as(name).isInstanceOf(expected);
        if (verdict instanceof Verification.Accepted accepted) {
            assertThat(accepted.principal())
                    .isEqualTo(new Principal(Principal.Kind.GATEWAY, "agent-7", "flotilla-gateway"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void onlyHs256IsAccepted(JWSAlgorithm algorithm) throws Exception {
        var claims = new JWTClaimsSet.Builder()
                .issuer("flotilla-gateway")
                .audience("flotilla-team:alpha")
                .claim("team_id", "alpha")
                .subject("agent-7")
                .expirationTime(at(60))
                .build();
        var jwt = new SignedJWT(new JWSHeader(algorithm), claims);
        jwt.sign(new MACSigner(KEY.length >= 64 ? KEY : (new String(KEY) + new String(KEY)).getBytes()));

        assertThat(verifier.verify(jwt)).isInstanceOf(Verification.Rejected.class);
    }

    static Stream<JWSAlgorithm> algorithms() {
        return Stream.of(JWSAlgorithm.HS384, JWSAlgorithm.HS512);
    }

    private static Arguments row(
            String name,
            byte[] key,
            UnaryOperator<JWTClaimsSet.Builder> change,
            Class<? extends Verification> expected) {
        return Arguments.of(name, key, change, expected);
    }

    private static Date at(long secondsFromNow) {
        return Date.from(NOW.plus(Duration.ofSeconds(secondsFromNow)));
    }

    private static SignedJWT signed(JWTClaimsSet claims, byte[] key) throws JOSEException {
        var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(key));
        return jwt;
    }
}
