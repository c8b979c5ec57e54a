package com.employable.flotilla.teammcp.auth;

import com.employable.flotilla.teammcp.Secret;
import com.employable.flotilla.teammcp.ServerConfig;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns an {@code Authorization} header into a verdict. Three kinds of bearer token are accepted: the team's probe
 * token (compared in constant time; during a rotation the previous one too), a gateway token (HS256 under the team
 * key, or the previous team key during a rotation) and employable's JWT (JWKS). The token's algorithm picks the
 * verifier, so an HS256 token is never tried against the JWKS or the other way round.
 */
public final class Authenticator {

    /** Real tokens are a few hundred bytes; anything far larger is refused before parsing. */
    static final int MAX_TOKEN_LENGTH = 8 * 1024;

    /** The current probe token and, during a rotation, the previous one. */
    private final List<Secret> probeTokens;

    /** Fly's machine check on {@code /healthz/mcp}: accepted there and nowhere else. */
    private final CheckTokens checkTokens;

    private final Optional<GatewayTokenVerifier> gateway;
    private final Optional<JwksTokenVerifier> jwks;

    Authenticator(
            List<Secret> probeTokens,
            Optional<Secret> checkToken,
            Optional<GatewayTokenVerifier> gateway,
            Optional<JwksTokenVerifier> jwks) {
        this.probeTokens = List.copyOf(probeTokens);
        this.checkTokens = new CheckTokens(probeTokens, checkToken);
        this.gateway = gateway;
        this.jwks = jwks;
    }

    public static Authenticator from(ServerConfig config, Clock clock) {
        var probeTokens = Stream.of(config.probeToken(), config.previousProbeToken())
                .flatMap(Optional::stream)
                .toList();
        List<byte[]> teamKeys = Stream.of(config.teamTokenKey(), config.previousTeamTokenKey())
                .flatMap(Optional::stream)
                .map(Secret::bytes)
                .toList();
        return new Authenticator(
                probeTokens,
                config.checkToken(),
                teamKeys.isEmpty()
                        ? Optional.empty()
                        : Optional.of(new GatewayTokenVerifier(teamKeys, config.teamId(), clock)),
                config.jwks().map(settings -> new JwksTokenVerifier(settings, config.teamId())));
    }

    /** {@code Optional.empty()} when no credentials were sent at all. */
    Optional<Verification> authenticate(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return Optional.empty();
        }
        String header = authorizationHeader.trim();
        if (!header.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            return Optional.of(new Verification.Rejected("Bearer token required"));
        }
        String token = header.substring("bearer ".length()).trim();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.of(new Verification.Rejected("token malformed"));
        }
        if (isProbeToken(token)) {
            return Optional.of(new Verification.Accepted(Principal.probe()));
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            return Optional.of(new Verification.Rejected("token malformed"));
        }
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        if (JWSAlgorithm.HS256.equals(algorithm)) {
            return Optional.of(gateway.map(verifier -> verifier.verify(jwt))
                    .orElseGet(() -> new Verification.Rejected("gateway tokens are not accepted here")));
        }
        if (JwksTokenVerifier.ALGORITHMS.contains(algorithm)) {
            return Optional.of(jwks.map(verifier -> verifier.verify(jwt))
                    .orElseGet(() -> new Verification.Rejected("JWKS-signed tokens are not accepted here")));
        }
        return Optional.of(new Verification.Rejected("algorithm not accepted"));
    }

    /**
     * The verdict on the credential of Fly's machine check ({@code /healthz/mcp} only): a check token derived from
     * one of this server's probe tokens, else rejected; {@code Optional.empty()} when no credentials were sent.
     */
    Optional<Verification> authenticateCheck(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return Optional.empty();
        }
        String header = authorizationHeader.trim();
        if (!header.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            return Optional.of(new Verification.Rejected("Bearer token required"));
        }
        String token = header.substring("bearer ".length()).trim();
        if (!checkTokens.configured()) {
            return Optional.of(new Verification.Rejected("no check token is accepted without a probe token"));
        }
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH || !checkTokens.matches(token)) {
            return Optional.of(new Verification.Rejected("not this server's check token"));
        }
        return Optional.of(new Verification.Accepted(Principal.check()));
    }

    /** Compared with every probe token, each in constant time, so the timing tells neither which one nor how close. */
    private boolean isProbeToken(String token) {
        boolean matches = false;
        for (Secret probeToken : probeTokens) {
            matches |= probeToken.matches(token);
        }
        return matches;
    }
}
