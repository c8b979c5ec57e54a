package com.employable.flotilla.provisioner.team;

import com.employable.flotilla.provisioner.fly.FlyModel.Autostop;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How teams become Fly apps. Team app names and endpoint URLs are not here: every service derives them from
 * {@code flotilla.teams} ({@link com.employable.flotilla.common.teams.TeamAddresses}).
 *
 * @param image                  the team server image, pinned by digest in production
 * @param plans                  plan name to machine shape
 * @param regionGroups           residency groups, group name to ordered regions; a team's machines only ever run in
 *                               its region's group (configured groups replace the default group of the same name)
 * @param publicIps              allocate a shared IPv4 and an IPv6 so the public endpoint resolves
 * @param gatewayKey             platform key the team token keys are derived from (shared with the registry)
 * @param gatewayKeyPrevious     the gateway key being rotated out; while set, teams also get the key derived from it
 * @param probeKey               platform key the probe tokens are derived from (shared with health-service)
 * @param probeKeyPrevious       the probe key being rotated out; while set, teams also accept its probe token
 * @param teamDbKey              platform key the team database role passwords are derived from
 * @param teamServer             settings passed to every team server
 * @param workers                teams reconciled in parallel (128). A pass mostly waits on Fly, whose per-app and
 *                               per-machine limits pace each team's calls: workers are threads waiting on I/O, not CPU.
 *                               A warm-pool claim's pass waits about 1.5 s on Fly (a resume, an exec), so N workers
 *                               claim at most N / 1.5 teams a second: measured in the burst harness (simulated Fly
 *                               latencies), 32 workers reached 20 teams/s, 256 reached 49; 128 is above the 50 teams/s
 *                               the platform is asked for. Org-wide limits (app creates 1/s) hold whatever the count,
 *                               through the shared buckets
 * @param resyncInterval         how often every team is reconciled against Fly, repairing drift
 * @param orphanSweep            whether the resync also destroys orphaned team apps
 * @param orphanGrace            how long a team app with no live team survives before it is destroyed
 * @param orphanMaxDeletionsPerSweep bound on apps destroyed by one sweep
 * @param orphanMinTeamRatio     the sweep refuses to run while live teams are fewer than this share of team apps
 *                               (an empty or restored database)
 * @param startTimeout           how long a new machine may take to reach started
 * @param retryBase              first back-off after a failed reconcile; doubles up to retryMax
 * @param unhealthyRestartAfter  a machine unhealthy this long is restarted
 * @param unhealthyReplaceAfter  and replaced if still unhealthy this long after the restart
 * @param maxRepairsPerHour      bound on repairs per machine
 * @param rootfsGb               root filesystem size reported to billing (stopped machines pay for it)
 * @param observeInterval        how often each owned team's machines are listed (one call per app) and their state
 *                               changes since the last listing published, for billing
 * @param ownTeamsByPartition    an instance works only on the teams keyed to the team lifecycle partitions it is
 *                               assigned (N instances); off: on every team (one instance without the listener)
 */
@ConfigurationProperties("flotilla.provisioner")
public record ProvisionerProperties(
        @DefaultValue("registry.fly.io/flotilla-team-mcp-server:0.1.0")
        String image,

        Map<String, Plan> plans,
        Map<String, List<String>> regionGroups,
        @DefaultValue("true") boolean publicIps,
        @DefaultValue("") String gatewayKey,
        @DefaultValue("") String gatewayKeyPrevious,
        @DefaultValue("") String probeKey,
        @DefaultValue("") String probeKeyPrevious,
        @DefaultValue("") String teamDbKey,
        TeamServer teamServer,
        @DefaultValue("128") int workers,
        @DefaultValue("60s") Duration resyncInterval,
        @DefaultValue("true") boolean orphanSweep,
        @DefaultValue("10m") Duration orphanGrace,
        @DefaultValue("5") int orphanMaxDeletionsPerSweep,
        @DefaultValue("0.5") double orphanMinTeamRatio,
        @DefaultValue("3m") Duration startTimeout,
        @DefaultValue("2s") Duration retryBase,
        @DefaultValue("5m") Duration retryMax,
        @DefaultValue("30s") Duration unhealthyRestartAfter,
        @DefaultValue("2m") Duration unhealthyReplaceAfter,
        @DefaultValue("3") int maxRepairsPerHour,
        @DefaultValue("1") int rootfsGb,
        @DefaultValue("15s") Duration observeInterval,
        @DefaultValue("true") boolean ownTeamsByPartition) {

    public ProvisionerProperties {
        plans = plans == null || plans.isEmpty() ? defaultPlans() : Map.copyOf(plans);
        regionGroups = RegionGroups.merge(regionGroups).groups();
        teamServer = teamServer == null ? new TeamServer(null, null, null, null, null, null, null) : teamServer;
        observeInterval = observeInterval == null ? Duration.ofSeconds(15) : observeInterval;
        if (!observeInterval.isPositive()) {
            throw new IllegalArgumentException("observe-interval must be positive");
        }
        if (orphanMaxDeletionsPerSweep < 0) {
            throw new IllegalArgumentException("orphan-max-deletions-per-sweep must not be negative");
        }
        if (orphanMinTeamRatio < 0 || orphanMinTeamRatio > 1) {
            throw new IllegalArgumentException("orphan-min-team-ratio must be between 0 and 1");
        }
    }

    /** The residency groups, validated (a region in at most one group). */
    public RegionGroups residency() {
        return new RegionGroups(regionGroups);
    }

    /**
     * starter idles to suspended (memory kept, the fastest wake), team to stopped (rootfs only, a cold start), business
     * keeps one machine running; all wake on a request. The same as application.yml, for callers without it.
     */
    static Map<String, Plan> defaultPlans() {
        return Map.of(
                "starter", new Plan("shared", 1, 256, 1, Autostop.SUSPEND, true, 0),
                "team", new Plan("shared", 1, 512, 1, Autostop.STOP, true, 0),
                "business", new Plan("shared", 2, 1024, 2, Autostop.STOP, true, 1));
    }

    /** Keys and the admin URL (which may carry a password) are never printed. */
    @Override
    public String toString() {
        return "ProvisionerProperties[image=" + image + ", plans=" + plans.keySet() + ", regionGroups=" + regionGroups
                + ", publicIps=" + publicIps + ", gatewayKey=" + Redacted.of(gatewayKey) + ", gatewayKeyPrevious="
                + Redacted.of(gatewayKeyPrevious) + ", probeKey=" + Redacted.of(probeKey) + ", probeKeyPrevious="
                + Redacted.of(probeKeyPrevious) + ", teamDbKey=" + Redacted.of(teamDbKey) + ", teamServer="
                + teamServer + ", workers=" + workers + ", resyncInterval=" + resyncInterval + ", orphanSweep="
                + orphanSweep + ", orphanGrace=" + orphanGrace + ", orphanMaxDeletionsPerSweep="
                + orphanMaxDeletionsPerSweep + ", orphanMinTeamRatio=" + orphanMinTeamRatio + "]";
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
    public record TeamServer(
            String jwksUrl,
            String jwtIssuer,
            String jwtAudience,
            String jwtTeamClaim,
            String databaseUrl,
            String databaseAdminUrl,
            Map<String, String> extraEnv) {
        public TeamServer {
            extraEnv = extraEnv == null ? Map.of() : Map.copyOf(extraEnv);
        }

        /** JDBC URLs can carry a password; extra env values can be anything: names only. */
        @Override
        public String toString() {
            return "TeamServer[jwksUrl=" + jwksUrl + ", jwtIssuer=" + jwtIssuer + ", jwtAudience=" + jwtAudience
                    + ", jwtTeamClaim=" + jwtTeamClaim + ", databaseUrl=" + Redacted.of(databaseUrl)
                    + ", databaseAdminUrl=" + Redacted.of(databaseAdminUrl) + ", extraEnv=" + extraEnv.keySet() + "]";
        }
    }

    private static final class Redacted {
        static String of(String value) {
            return value == null || value.isBlank() ? "(none)" : "(set)";
        }
    }
}
