package com.employable.flotilla.teammcp;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything the server needs, read once from the environment (what the provisioner sets as Fly env and secrets).
 * No other configuration source exists, so the provisioner, local-fly and tests all drive the server the same way.
 */
public record ServerConfig(
        String teamId,
        String bindAddress,
        int port,
        FlyRuntime fly,
        Optional<JwksSettings> jwks,
        Optional<Secret> teamTokenKey,
        Optional<Secret> previousTeamTokenKey,
        Optional<Secret> probeToken,
        Optional<Secret> previousProbeToken,
        Optional<Secret> checkToken,
        Optional<URI> resourceUrl,
        List<String> authorizationServers,
        List<String> allowedHosts,
        List<String> allowedOrigins,
        Optional<DatabaseSettings> database,
        boolean conformanceFixtures) {

    public static final String TEAM_ID = "FLOTILLA_TEAM_ID";
    public static final String PORT = "PORT";
    public static final String BIND = "FLOTILLA_BIND";
    public static final String JWT_JWKS_URL = "FLOTILLA_JWT_JWKS_URL";
    public static final String JWT_ISSUER = "FLOTILLA_JWT_ISSUER";
    public static final String JWT_AUDIENCE = "FLOTILLA_JWT_AUDIENCE";
    public static final String JWT_TEAM_CLAIM = "FLOTILLA_JWT_TEAM_CLAIM";
    public static final String TEAM_TOKEN_KEY = "FLOTILLA_TEAM_TOKEN_KEY";
    public static final String PROBE_TOKEN = "FLOTILLA_PROBE_TOKEN";
    /** During a key rotation: gateway tokens signed with the previous team key are accepted too. */
    public static final String TEAM_TOKEN_KEY_PREVIOUS = "FLOTILLA_TEAM_TOKEN_KEY_PREVIOUS";
    /** During a key rotation: the previous probe token is accepted too, with the same limits. */
    public static final String PROBE_TOKEN_PREVIOUS = "FLOTILLA_PROBE_TOKEN_PREVIOUS";
    /**
     * A check token accepted as is on {@code /healthz/mcp} (and nowhere else), besides those derived from the probe
     * tokens: the warm pool's machines carry one in their {@code mcp} check, since the team whose probe token will
     * derive it is not known when they are built.
     */
    public static final String CHECK_TOKEN = "FLOTILLA_CHECK_TOKEN";

    public static final String RESOURCE_URL = "FLOTILLA_RESOURCE_URL";
    public static final String AUTHORIZATION_SERVERS = "FLOTILLA_AUTHORIZATION_SERVERS";
    public static final String ALLOWED_HOSTS = "FLOTILLA_ALLOWED_HOSTS";
    public static final String ALLOWED_ORIGINS = "FLOTILLA_ALLOWED_ORIGINS";
    public static final String DATABASE_URL = "FLOTILLA_DATABASE_URL";
    public static final String DATABASE_USER = "FLOTILLA_DATABASE_USER";
    public static final String DATABASE_PASSWORD = "FLOTILLA_DATABASE_PASSWORD";
    public static final String CONFORMANCE_FIXTURES = "FLOTILLA_CONFORMANCE_FIXTURES";
    public static final String FLY_REGION = "FLY_REGION";
    public static final String FLY_MACHINE_ID = "FLY_MACHINE_ID";
    public static final String FLY_APP_NAME = "FLY_APP_NAME";
    public static final String FLY_IMAGE_REF = "FLY_IMAGE_REF";

    public static final String DEFAULT_TEAM_CLAIM = "app_metadata.team_id";
    static final int DEFAULT_PORT = 8080;
    static final String DEFAULT_BIND = "0.0.0.0";

    /**
     * Same rule as employable's team ids: 1 to 40 of a-z 0-9 -, which includes a UUID in its canonical lower case.
     * An upper-case UUID is refused, as everywhere else: the id names the Fly app and the gateway path /<team>/mcp.
     */
    private static final Pattern TEAM_ID_PATTERN = Pattern.compile("[a-z0-9-]{1,40}");

    private static final Pattern CLAIM_PATH_PATTERN = Pattern.compile("[A-Za-z0-9_:-]+(\\.[A-Za-z0-9_:-]+)*");
    private static final int TEAM_KEY_BYTES = 32;
    private static final int MIN_PROBE_TOKEN_LENGTH = 16;

    public ServerConfig {
        authorizationServers = List.copyOf(authorizationServers);
        allowedHosts = List.copyOf(allowedHosts);
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** Fly's runtime environment, present on a Fly machine (and set by local-fly); all optional. */
    public record FlyRuntime(
            Optional<String> region, Optional<String> machineId, Optional<String> appName, Optional<String> imageRef) {
        public static FlyRuntime none() {
            return new FlyRuntime(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /** employable's asymmetric JWTs, verified against a JWKS. */
    public record JwksSettings(URI jwksUrl, String issuer, List<String> audiences, String teamClaimPath) {
        public JwksSettings {
            audiences = List.copyOf(audiences);
        }
    }

    public record DatabaseSettings(String jdbcUrl, Optional<String> user, Optional<Secret> password) {
        /** A JDBC URL may carry a password in its query, so only its scheme is ever shown. */
        @Override
        public String toString() {
            return "DatabaseSettings[jdbcUrl=jdbc:postgresql://***, user=" + user.orElse("(from URL)") + ", password="
                    + (password.isPresent() ? "***" : "(none)") + "]";
        }
    }

    public static ServerConfig fromEnvironment() {
        return fromEnv(System.getenv());
    }

    public static ServerConfig fromEnv(Map<String, String> env) {
        var reader = new EnvReader(env);

        String teamId = reader.optional(TEAM_ID).orElse(null);
        if (teamId == null) {
            reader.problem(TEAM_ID + " is required");
        } else if (!TEAM_ID_PATTERN.matcher(teamId).matches()) {
            reader.problem(TEAM_ID + " must be 1 to 40 characters of a-z, 0-9 and '-' (a UUID in lower case)");
        }

        int port = reader.optional(PORT).map(value -> reader.port(PORT, value)).orElse(DEFAULT_PORT);
        String bind = reader.optional(BIND).orElse(DEFAULT_BIND);

        var fly = new FlyRuntime(
                reader.optional(FLY_REGION),
                reader.optional(FLY_MACHINE_ID),
                reader.optional(FLY_APP_NAME),
                reader.optional(FLY_IMAGE_REF));

        Optional<JwksSettings> jwks = readJwks(reader);
        Optional<Secret> teamKey = readTeamKey(reader, TEAM_TOKEN_KEY);
        Optional<Secret> previousTeamKey = readTeamKey(reader, TEAM_TOKEN_KEY_PREVIOUS);
        if (jwks.isEmpty() && teamKey.isEmpty()) {
            reader.problem("no way to verify tokens: set " + JWT_JWKS_URL + " (with " + JWT_ISSUER + " and "
                    + JWT_AUDIENCE + ") and/or " + TEAM_TOKEN_KEY);
        }
        reader.requireWith(TEAM_TOKEN_KEY_PREVIOUS, TEAM_TOKEN_KEY);

        Optional<Secret> probeToken = readProbeToken(reader, PROBE_TOKEN);
        Optional<Secret> previousProbeToken = readProbeToken(reader, PROBE_TOKEN_PREVIOUS);
        reader.requireWith(PROBE_TOKEN_PREVIOUS, PROBE_TOKEN);
        Optional<Secret> checkToken = readProbeToken(reader, CHECK_TOKEN);

        Optional<URI> resourceUrl = reader.optional(RESOURCE_URL).flatMap(value -> reader.httpUri(RESOURCE_URL, value));
        if (fly.appName().isPresent() && reader.optional(RESOURCE_URL).isEmpty()) {
            // on Fly the only other source would be the request's Host header, which anyone can set
            reader.problem(RESOURCE_URL + " is required on Fly (" + FLY_APP_NAME + " is set): the OAuth metadata "
                    + "is never derived from a request");
        }
        List<String> authorizationServers = reader.list(AUTHORIZATION_SERVERS);
        for (String server : authorizationServers) {
            reader.httpUri(AUTHORIZATION_SERVERS, server);
        }
        if (authorizationServers.isEmpty()
                && jwks.isPresent()
                && isHttpUrl(jwks.get().issuer())) {
            // employable's issuer (Supabase auth) is the authorization server that mints these tokens
            authorizationServers = List.of(jwks.get().issuer());
        }

        List<String> allowedHosts = reader.optional(ALLOWED_HOSTS).isPresent()
                ? reader.list(ALLOWED_HOSTS)
                : defaultAllowedHosts(fly, resourceUrl);
        List<String> allowedOrigins = reader.optional(ALLOWED_ORIGINS).isPresent()
                ? reader.list(ALLOWED_ORIGINS)
                : defaultAllowedOrigins(resourceUrl);

        Optional<DatabaseSettings> database = reader.optional(DATABASE_URL).flatMap(url -> {
            if (!url.startsWith("jdbc:postgresql:")) {
                reader.problem(DATABASE_URL + " must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db)");
                return Optional.empty();
            }
            return Optional.of(new DatabaseSettings(
                    url,
                    reader.optional(DATABASE_USER),
                    reader.optional(DATABASE_PASSWORD).map(Secret::ofUtf8)));
        });
        if (database.isEmpty()
                && reader.optional(DATABASE_URL).isEmpty()
                && (reader.optional(DATABASE_USER).isPresent()
                        || reader.optional(DATABASE_PASSWORD).isPresent())) {
            reader.problem(DATABASE_USER + "/" + DATABASE_PASSWORD + " are set but " + DATABASE_URL + " is not");
        }

        boolean fixtures = reader.optional(CONFORMANCE_FIXTURES)
                .map(value -> reader.bool(CONFORMANCE_FIXTURES, value))
                .orElse(false);

        reader.throwIfProblems();
        return new ServerConfig(
                teamId,
                bind,
                port,
                fly,
                jwks,
                teamKey,
                previousTeamKey,
                probeToken,
                previousProbeToken,
                checkToken,
                resourceUrl,
                authorizationServers,
                allowedHosts,
                allowedOrigins,
                database,
                fixtures);
    }

    private static Optional<JwksSettings> readJwks(EnvReader reader) {
        Optional<String> url = reader.optional(JWT_JWKS_URL);
        if (url.isEmpty()) {
            for (String dependent : List.of(JWT_ISSUER, JWT_AUDIENCE, JWT_TEAM_CLAIM)) {
                if (reader.optional(dependent).isPresent()) {
                    reader.problem(dependent + " is set but " + JWT_JWKS_URL + " is not");
                }
            }
            return Optional.empty();
        }
        Optional<URI> jwksUrl = reader.httpUri(JWT_JWKS_URL, url.get());
        Optional<String> issuer = reader.optional(JWT_ISSUER);
        if (issuer.isEmpty()) {
            reader.problem(JWT_ISSUER + " is required with " + JWT_JWKS_URL);
        }
        List<String> audiences = reader.list(JWT_AUDIENCE);
        if (audiences.isEmpty()) {
            reader.problem(JWT_AUDIENCE + " is required with " + JWT_JWKS_URL);
        }
        String claimPath = reader.optional(JWT_TEAM_CLAIM).orElse(DEFAULT_TEAM_CLAIM);
        if (!CLAIM_PATH_PATTERN.matcher(claimPath).matches()) {
            reader.problem(JWT_TEAM_CLAIM + " must be a dotted claim path such as " + DEFAULT_TEAM_CLAIM);
        }
        if (jwksUrl.isEmpty() || issuer.isEmpty() || audiences.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new JwksSettings(jwksUrl.get(), issuer.get(), audiences, claimPath));
    }

    private static Optional<Secret> readTeamKey(EnvReader reader, String name) {
        Optional<String> configured = reader.optional(name);
        if (configured.isEmpty()) {
            return Optional.empty();
        }
        String value = configured.get();
        try {
            byte[] key = Base64.getUrlDecoder().decode(value);
            if (key.length != TEAM_KEY_BYTES || value.contains("=")) {
                reader.problem(name + " must be base64url without padding of exactly " + TEAM_KEY_BYTES + " bytes");
                return Optional.empty();
            }
            return Optional.of(Secret.ofBytes(key));
        } catch (IllegalArgumentException e) {
            reader.problem(name + " is not valid base64url");
            return Optional.empty();
        }
    }

    private static Optional<Secret> readProbeToken(EnvReader reader, String name) {
        return reader.optional(name).flatMap(value -> {
            if (value.length() < MIN_PROBE_TOKEN_LENGTH) {
                reader.problem(name + " must be at least " + MIN_PROBE_TOKEN_LENGTH + " characters");
                return Optional.empty();
            }
            return Optional.of(Secret.ofUtf8(value));
        });
    }

    private static List<String> defaultAllowedHosts(FlyRuntime fly, Optional<URI> resourceUrl) {
        var hosts = new ArrayList<>(List.of("localhost:*", "127.0.0.1:*", "[::1]:*"));
        fly.appName().ifPresent(app -> {
            // Flycast (private, through Fly's proxy), the public hostname, and the app's 6PN names
            hosts.addAll(List.of(app + ".flycast:*", app + ".fly.dev:*", app + ".internal:*"));
            fly.machineId().ifPresent(machine -> hosts.add(machine + ".vm." + app + ".internal:*"));
        });
        resourceUrl.ifPresent(url -> hosts.add(url.getHost() + ":*"));
        return hosts;
    }

    private static List<String> defaultAllowedOrigins(Optional<URI> resourceUrl) {
        var origins = new ArrayList<String>();
        for (String host : List.of("localhost", "127.0.0.1", "[::1]")) {
            origins.add("http://" + host + ":*");
            origins.add("https://" + host + ":*");
        }
        resourceUrl.ifPresent(url -> origins.add(url.getScheme() + "://" + url.getHost() + ":*"));
        return origins;
    }

    static boolean isHttpUrl(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://");
    }
}
