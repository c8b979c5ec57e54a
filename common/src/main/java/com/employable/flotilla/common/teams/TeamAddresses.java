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
 * @param reservedAppNames platform apps that may share the org (and the image's registry app): never a team's app,
 * whatever the team id
 */
@ConfigurationProperties("flotilla.teams")
public record TeamAddresses(
        @DefaultValue("flotilla-team-") String appPrefix,
        @DefaultValue("https://{app}.fly.dev/mcp") String endpointUrlTemplate,
        @DefaultValue("http://{app}.flycast/mcp") String privateEndpointUrlTemplate,

        @DefaultValue({
            "flotilla-provisioner-service",
            "flotilla-registry-service",
            "flotilla-health-service",
            "flotilla-billing-service",
            "flotilla-team-mcp-server"
        })
        List<String> reservedAppNames) {

    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9-]{0,20}-");

    /** Fly app names are DNS labels. */
    private static final int MAX_APP_NAME = 63;

    public TeamAddresses {
        if (appPrefix == null || !PREFIX.matcher(appPrefix).matches()) {
            throw new IllegalArgumentException("the team app prefix must be lower-case letters, digits and '-', "
                    + "end with '-' and be at most 22 characters, was '" + appPrefix + "'");
        }
        endpointUrlTemplate = template(endpointUrlTemplate, "endpointUrlTemplate");
        privateEndpointUrlTemplate = template(privateEndpointUrlTemplate, "privateEndpointUrlTemplate");
        reservedAppNames = reservedAppNames == null ? List.of() : List.copyOf(reservedAppNames);
    }

    /** The defaults: Fly's public and Flycast URLs. */
    public static TeamAddresses defaults() {
        return new TeamAddresses(
                "flotilla-team-",
                "https://{app}.fly.dev/mcp",
                "http://{app}.flycast/mcp",
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
            URI uri = new URI(template.replace("{app}", "app"));
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException(name + " must be an absolute http(s) URL, was '" + template + "'");
            }
        } catch (URISyntaxException invalid) {
            throw new IllegalArgumentException(name + " is not a URL: " + invalid.getMessage());
        }
        return template;
    }
}
