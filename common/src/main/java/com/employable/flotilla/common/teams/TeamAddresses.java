package com.employable.flotilla.common.teams;

import com.employable.flotilla.common.events.InvalidEventException;
import com.employable.flotilla.common.events.Require;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a team's server lives, derived from configuration and the team id alone. Every service that names a team's
 * app or reaches its server derives the name and URL here instead of trusting an app or URL carried by an event: a
 * forged event can then neither point the gateway or the probes at another host nor make the provisioner adopt or
 * delete an app that is not a team's.
 *
 * @param appPrefix team app name = prefix + team id. It must differ from the platform apps' names (those are
 * {@code flotilla-<service>}), so no team id can name a platform app
 * @param endpointUrlTemplate the URL agents use; {@code {app}} is replaced ({@code https://{app}.fly.dev/mcp} on Fly)
 * @param privateEndpointUrlTemplate the URL inside the team's private network ({@code http://{app}.flycast/mcp})
 * @param machineUrlTemplate one machine's MCP URL straight over the private network, bypassing Fly Proxy
 * ({@code http://{machine}.vm.{app}.internal:8080/mcp}): what the health probes use, because Fly's proxy counts every
 * request it routes as activity (and wakes a sleeping machine for it) while a direct 6PN connection is neither, and
 * a stopped machine has no {@code .internal} address at all
 * @param poolAppPrefix warm-pool app name = prefix + a random id; a claimed pool app serves one team for life
 * @param reservedAppNames platform apps that may share the org (and the image's registry app): never a team's app,
 * whatever the team id
 */
@ConfigurationProperties("flotilla.teams")
public record TeamAddresses(
        @DefaultValue("flotilla-team-") String appPrefix,
        @DefaultValue("https://{app}.fly.dev/mcp") String endpointUrlTemplate,
        @DefaultValue("http://{app}.flycast/mcp") String privateEndpointUrlTemplate,

        @DefaultValue("http://{machine}.vm.{app}.internal:8080/mcp")
        String machineUrlTemplate,

        @DefaultValue("flotilla-pool-") String poolAppPrefix,

        @DefaultValue({
            "flotilla-provisioner-service",
            "flotilla-registry-service",
            "flotilla-health-service",
            "flotilla-billing-service",
            "flotilla-team-mcp-server"
        })
        List<String> reservedAppNames) {

    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9-]{0,20}-");

    /** The random part of a pool app's name. */
    private static final Pattern POOL_ID = Pattern.compile("[a-z0-9]{8,32}");

    /** Fly machine ids: 14 hex characters (a little slack for other shapes, never a dot or a slash). */
    private static final Pattern MACHINE_ID = Pattern.compile("[a-z0-9]{8,32}");

    /** Fly app names are DNS labels. */
    private static final int MAX_APP_NAME = 63;

    public TeamAddresses {
        if (appPrefix == null || !PREFIX.matcher(appPrefix).matches()) {
            throw new IllegalArgumentException("the team app prefix must be lower-case letters, digits and '-', "
                    + "end with '-' and be at most 22 characters, was '" + appPrefix + "'");
        }
        endpointUrlTemplate = template(endpointUrlTemplate, "endpointUrlTemplate");
        privateEndpointUrlTemplate = template(privateEndpointUrlTemplate, "privateEndpointUrlTemplate");
        machineUrlTemplate = template(machineUrlTemplate, "machineUrlTemplate");
        if (!machineUrlTemplate.contains("{machine}")) {
            throw new IllegalArgumentException(
                    "machineUrlTemplate must contain {machine}, was '" + machineUrlTemplate + "'");
        }
        if (poolAppPrefix == null || !PREFIX.matcher(poolAppPrefix).matches() || poolAppPrefix.equals(appPrefix)) {
            throw new IllegalArgumentException("the pool app prefix must be lower-case letters, digits and '-', end"
                    + " with '-', be at most 22 characters and differ from the team app prefix, was '" + poolAppPrefix
                    + "'");
        }
        reservedAppNames = reservedAppNames == null ? List.of() : List.copyOf(reservedAppNames);
    }

    /** The defaults: Fly's public and Flycast URLs. */
    public static TeamAddresses defaults() {
        return new TeamAddresses(
                "flotilla-team-",
                "https://{app}.fly.dev/mcp",
                "http://{app}.flycast/mcp",
                "http://{machine}.vm.{app}.internal:8080/mcp",
                "flotilla-pool-",
                List.of(
                        "flotilla-provisioner-service",
                        "flotilla-registry-service",
                        "flotilla-health-service",
                        "flotilla-billing-service",
                        "flotilla-team-mcp-server"));
    }

    /**
     * The team's app name.
     *
     * @throws InvalidEventException when the team id is not valid or its app name would be a reserved platform name
     */
    public String appName(String teamId) {
        Require.teamId(teamId, "teamId");
        String app = appPrefix + teamId;
        if (Set.copyOf(reservedAppNames).contains(app)) {
            throw new InvalidEventException("teamId '" + teamId + "' would name the platform app '" + app + "'");
        }
        if (app.length() > MAX_APP_NAME) {
            throw new InvalidEventException("teamId '" + teamId + "' makes an app name longer than " + MAX_APP_NAME);
        }
        return app;
    }

    /** The team whose app this is, when the name is exactly a team app's name; empty for anything else. */
    public Optional<String> teamIdOfApp(String appName) {
        if (appName == null || !appName.startsWith(appPrefix)) {
            return Optional.empty();
        }
        String teamId = appName.substring(appPrefix.length());
        if (!Require.isTeamId(teamId) || reservedAppNames.contains(appName) || appName.length() > MAX_APP_NAME) {
            return Optional.empty();
        }
        return Optional.of(teamId);
    }

    /**
     * The app a team's server runs in, as the provisioner reported it: the team's own cold-created app, or a warm-pool
     * app (claimed for this team and no other). Never a platform app or any other name.
     *
     * @throws InvalidEventException naming {@code field} otherwise
     */
    public String requireServerApp(String teamId, String app, String field) {
        if (app != null && (app.equals(appName(teamId)) || isPoolApp(app))) {
            return app;
        }
        throw new InvalidEventException(field + " '" + Require.shown(app) + "' is neither the team's app "
                + appName(teamId) + " nor a warm-pool app (" + poolAppPrefix + "<id>)");
    }

    /** Whether the name is a warm-pool app's, exactly. */
    public boolean isPoolApp(String app) {
        return app != null
                && app.startsWith(poolAppPrefix)
                && POOL_ID.matcher(app.substring(poolAppPrefix.length())).matches()
                && !reservedAppNames.contains(app);
    }

    /** A new warm-pool app's name for the random id. */
    public String poolAppName(String poolId) {
        String app = poolAppPrefix + poolId;
        if (!isPoolApp(app)) {
            throw new IllegalArgumentException(
                    "pool id must be 8-32 lower-case letters or digits, was '" + poolId + "'");
        }
        return app;
    }

    /** The public URL of the server in the given app (already checked with {@link #requireServerApp}). */
    public String endpointUrlOfApp(String app) {
        return endpointUrlTemplate.replace("{app}", app);
    }

    /** The private (Flycast) URL of the server in the given app (already checked with {@link #requireServerApp}). */
    public String privateEndpointUrlOfApp(String app) {
        return privateEndpointUrlTemplate.replace("{app}", app);
    }

    /**
     * One machine's MCP URL over the private network, bypassing Fly Proxy (see {@code machineUrlTemplate}).
     *
     * @throws InvalidEventException when the machine id could name anything but a machine
     */
    public String machineUrl(String app, String machineId) {
        if (machineId == null || !MACHINE_ID.matcher(machineId).matches()) {
            throw new InvalidEventException("machineId '" + Require.shown(machineId) + "' is not a Fly machine id");
        }
        return machineUrlTemplate.replace("{app}", app).replace("{machine}", machineId);
    }

    /** The URL agents are given for the team's server. */
    public String endpointUrl(String teamId) {
        return endpointUrlTemplate.replace("{app}", appName(teamId));
    }

    /** The URL of the team's server inside its own private network. */
    public String privateEndpointUrl(String teamId) {
        return privateEndpointUrlTemplate.replace("{app}", appName(teamId));
    }

    private static String template(String template, String name) {
        if (template == null || !template.contains("{app}")) {
            throw new IllegalArgumentException(name + " must contain {app}, was '" + template + "'");
        }
        try {
            URI uri = new URI(template.replace("{app}", "app").replace("{machine}", "machine"));
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException(name + " must be an absolute http(s) URL, was '" + template + "'");
            }
        } catch (URISyntaxException invalid) {
            throw new IllegalArgumentException(name + " is not a URL: " + invalid.getMessage());
        }
        return template;
    }
}
