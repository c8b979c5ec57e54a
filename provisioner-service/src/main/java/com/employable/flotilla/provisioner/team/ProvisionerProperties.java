package com.employable.flotilla.provisioner.team;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How teams become Fly apps.
 *
 * @param appPrefix              team app name = prefix + team id; also how orphans are recognised
 * @param image                  the team server image, pinned by digest in production
 * @param plans                  plan name to machine shape
 * @param fallbackRegions        tried in order when the team's region has no capacity
 * @param endpointUrlTemplate    the URL agents use; {app} is replaced ({@code https://{app}.fly.dev/mcp} on Fly)
 * @param privateEndpointUrlTemplate the Flycast URL inside the org ({@code http://{app}.flycast/mcp})
 * @param publicIps              allocate a shared IPv4 and an IPv6 so the public endpoint resolves
 * @param gatewayKey             platform key the team token keys are derived from (shared with the registry)
 * @param probeKey               platform key the probe tokens are derived from (shared with health-service)
 * @param teamDbKey              platform key the team database role passwords are derived from
 * @param teamServer             settings passed to every team server
 * @param workers                teams reconciled in parallel
 * @param resyncInterval         how often every team is reconciled against Fly, repairing drift
 * @param orphanGrace            how long an app of ours with no live team survives before it is destroyed
 * @param startTimeout           how long a new machine may take to reach started
 * @param retryBase              first back-off after a failed reconcile; doubles up to retryMax
 * @param unhealthyRestartAfter  a machine unhealthy this long is restarted
 * @param unhealthyReplaceAfter  and replaced if still unhealthy this long after the restart
 * @param maxRepairsPerHour      bound on repairs per machine
 * @param rootfsGb               root filesystem size reported to billing (stopped machines pay for it)
 */
@ConfigurationProperties("flotilla.provisioner")
public record ProvisionerProperties(
        @DefaultValue("flotilla-") String appPrefix,
        @DefaultValue("registry.fly.io/flotilla-team-mcp-server:0.1.0") String image,
        Map<String, Plan> plans,
        @DefaultValue({"iad", "ord", "dfw"}) List<String> fallbackRegions,
        @DefaultValue("https://{app}.fly.dev/mcp") String endpointUrlTemplate,
        @DefaultValue("http://{app}.flycast/mcp") String privateEndpointUrlTemplate,
        @DefaultValue("true") boolean publicIps,
        @DefaultValue("") String gatewayKey,
        @DefaultValue("") String probeKey,
        @DefaultValue("") String teamDbKey,
        TeamServer teamServer,
        @DefaultValue("4") int workers,
        @DefaultValue("60s") Duration resyncInterval,
        @DefaultValue("10m") Duration orphanGrace,
        @DefaultValue("3m") Duration startTimeout,
        @DefaultValue("2s") Duration retryBase,
        @DefaultValue("5m") Duration retryMax,
        @DefaultValue("30s") Duration unhealthyRestartAfter,
        @DefaultValue("2m") Duration unhealthyReplaceAfter,
        @DefaultValue("3") int maxRepairsPerHour,
        @DefaultValue("1") int rootfsGb) {

    public ProvisionerProperties {
        plans = plans == null || plans.isEmpty() ? defaultPlans() : Map.copyOf(plans);
        teamServer = teamServer == null ? new TeamServer(null, null, null, null, null, null, null) : teamServer;
    }

    /** starter idles to suspended (cheapest wake), team to stopped, business keeps one machine warm. */
    static Map<String, Plan> defaultPlans() {
        return Map.of(
                "starter", new Plan("shared", 1, 256, 1, com.employable.flotilla.provisioner.fly.FlyModel.Autostop.SUSPEND, 0),
                "team", new Plan("shared", 1, 512, 1, com.employable.flotilla.provisioner.fly.FlyModel.Autostop.STOP, 0),
                "business", new Plan("shared", 2, 1024, 2, com.employable.flotilla.provisioner.fly.FlyModel.Autostop.STOP, 1));
    }

    public String appName(String teamId) {
        return appPrefix + teamId;
    }

    /**
     * What every team server is told besides its own secrets.
     *
     * @param jwksUrl      employable's JWKS (asymmetric tokens verified by the team server itself); optional
     * @param jwtIssuer    with jwksUrl
     * @param jwtAudience  with jwksUrl
     * @param jwtTeamClaim with jwksUrl
     * @param databaseUrl  the JDBC URL team servers use for their notes (their own role); optional
     * @param databaseAdminUrl JDBC URL (with a role that may create roles) the provisioner uses to create team roles;
     *                     defaults to databaseUrl with the provisioner's own datasource credentials
     * @param extraEnv     anything else, e.g. FLOTILLA_ALLOWED_HOSTS behind a custom domain
     */
    public record TeamServer(String jwksUrl, String jwtIssuer, String jwtAudience, String jwtTeamClaim,
                             String databaseUrl, String databaseAdminUrl, Map<String, String> extraEnv) {
        public TeamServer {
            extraEnv = extraEnv == null ? Map.of() : Map.copyOf(extraEnv);
        }
    }
}
