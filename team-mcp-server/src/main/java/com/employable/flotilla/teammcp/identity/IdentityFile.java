package com.employable.flotilla.teammcp.identity;

import com.employable.flotilla.teammcp.ConfigException;
import com.employable.flotilla.teammcp.ServerConfig;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The team identity a warm-pool server takes after boot (Fly's warm-pool blueprint: the provisioner resumes the pool
 * machine and writes this file by exec). {@code KEY=value} lines in UTF-8, no quoting, keys named as the env vars they
 * replace. A pool server's env carries a placeholder identity ({@code FLOTILLA_TEAM_ID=pool-<entry>} and throw-away
 * secrets); the file's keys replace every per-team variable of that env, so nothing of the placeholder survives into
 * the team's config (a key the file leaves out is unset, not inherited). Everything else (port, bind address, Fly's
 * runtime, JWKS settings) still comes from the env. The result passes exactly the validation of a start.
 *
 * <p>Refusals name a key or a line number, never a value: the file holds the team's secrets.
 */
public final class IdentityFile {

    /** The env var naming the file; honoured only while the env identity is a pool placeholder. */
    public static final String ENV = "FLOTILLA_IDENTITY_FILE";

    /**
     * The same content as an app secret, which Fly puts in the env at every start: a claimed pool machine that boots
     * again (from stopped: a fresh root filesystem, where the file is gone) starts as its team from it. Honoured only
     * while the env identity is a pool placeholder.
     */
    public static final String SECRET_ENV = "FLOTILLA_IDENTITY";

    /** Every team id the pool gives its placeholder servers starts with this; no real team id (a UUID) does. */
    public static final String POOL_PREFIX = "pool-";

    /** The per-team variables, the only keys the file may hold. */
    static final Set<String> KEYS = Set.of(
            ServerConfig.TEAM_ID,
            ServerConfig.TEAM_TOKEN_KEY,
            ServerConfig.TEAM_TOKEN_KEY_PREVIOUS,
            ServerConfig.PROBE_TOKEN,
            ServerConfig.PROBE_TOKEN_PREVIOUS,
            ServerConfig.RESOURCE_URL,
            ServerConfig.DATABASE_URL,
            ServerConfig.DATABASE_USER,
            ServerConfig.DATABASE_PASSWORD);

    /** What the provisioner always writes for a team: without them the server would admit no gateway or probe. */
    static final List<String> REQUIRED =
            List.of(ServerConfig.TEAM_ID, ServerConfig.TEAM_TOKEN_KEY, ServerConfig.PROBE_TOKEN);

    /** A real file is well under 1 KiB; anything far larger is not one. */
    static final int MAX_BYTES = 16 * 1024;

    private static final Pattern KEY = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    private IdentityFile() {}

    /** What a file's content amounts to. */
    public sealed interface Outcome {
        /** The team's full config: env plus the file, validated as at start. */
        record Identity(ServerConfig config) implements Outcome {}

        /** Not taken; {@code reason} names keys or line numbers only. */
        record Refused(String reason) implements Outcome {}
    }

    /** Whether this env identity is a pool placeholder, the only one that takes its identity from the file. */
    public static boolean isPoolPlaceholder(String teamId) {
        return teamId != null && teamId.startsWith(POOL_PREFIX);
    }

    /**
     * @param content the file's bytes, as read
     * @param env the process env the server started with (the placeholder)
     */
    public static Outcome parse(byte[] content, Map<String, String> env) {
        if (content.length > MAX_BYTES) {
            return new Outcome.Refused("larger than " + MAX_BYTES + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content))
                    .toString();
        } catch (CharacterCodingException e) {
            return new Outcome.Refused("not UTF-8");
        }
        var values = new LinkedHashMap<String, String>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank()) {
                continue;
            }
            int equals = line.indexOf('=');
            String key = equals < 0 ? "" : line.substring(0, equals);
            if (!KEY.matcher(key).matches()) {
                // the line is not echoed: it may be a value on a line of its own
                return new Outcome.Refused("line " + (i + 1) + " is not KEY=value");
            }
            if (!KEYS.contains(key)) {
                return new Outcome.Refused("key " + key + " is not allowed in an identity file");
            }
            if (values.putIfAbsent(key, line.substring(equals + 1)) != null) {
                return new Outcome.Refused("key " + key + " appears more than once");
            }
        }
        for (String required : REQUIRED) {
            if (values.getOrDefault(required, "").isBlank()) {
                return new Outcome.Refused("key " + required + " is missing");
            }
        }
        if (isPoolPlaceholder(values.get(ServerConfig.TEAM_ID).trim())) {
            return new Outcome.Refused("key " + ServerConfig.TEAM_ID + " is a pool placeholder, not a team");
        }
        return validate(values, env);
    }

    private static Outcome validate(Map<String, String> values, Map<String, String> env) {
        var merged = new HashMap<>(env);
        merged.keySet().removeAll(KEYS);
        merged.remove(ENV);
        merged.remove(SECRET_ENV);
        merged.putAll(values);
        try {
            return new Outcome.Identity(ServerConfig.fromEnv(merged));
        } catch (ConfigException e) {
            // the problems name variables and rules, never values (ServerConfigTest holds them to that)
            return new Outcome.Refused("invalid: " + String.join("; ", e.problems()));
        }
    }

    /**
     * The env a placeholder server runs on: without the per-team database settings, since a pool server has no
     * database, while a claimed app's secrets (which the env of any later boot holds) may carry the team's password.
     */
    public static Map<String, String> placeholderEnv(Map<String, String> env) {
        var placeholder = new HashMap<>(env);
        placeholder
                .keySet()
                .removeAll(
                        Set.of(ServerConfig.DATABASE_URL, ServerConfig.DATABASE_USER, ServerConfig.DATABASE_PASSWORD));
        return placeholder;
    }

    /** The identity the app's secrets carry ({@link #SECRET_ENV}), if any; its content is read as a file's. */
    public static Optional<Outcome> fromSecret(Map<String, String> env) {
        String value = env.get(SECRET_ENV);
        return value == null || value.isBlank()
                ? Optional.empty()
                : Optional.of(parse(value.getBytes(StandardCharsets.UTF_8), env));
    }

    /** The file's path from the env, if set. Relative paths resolve against the working directory. */
    public static Optional<Path> path(Map<String, String> env) {
        String value = env.get(ENV);
        return value == null || value.isBlank()
                ? Optional.empty()
                : Optional.of(Path.of(value.trim()).toAbsolutePath());
    }
}
