package com.employable.flotilla.devstack.trial;

import com.employable.flotilla.devstack.mcp.McpClient;
import com.employable.flotilla.devstack.mcp.McpClient.ToolsList;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * {@code ./flotilla trial}: provisions N teams through the platform as employable would (a {@code team.created} each),
 * measures create (event to the first {@code tools/list} through the gateway), the first and a warm
 * {@code tools/list}, start from stopped and resume from suspended, collects every limit or quota Fly answered with,
 * and always tears down what it made.
 */
public final class Trial {

    private final TrialEnvironment env;
    private final TrialOptions options;
    private final PrintStream out;
    private final FlyAnswers answers = new FlyAnswers();
    private final MachinesApi fly;
    private final Platform platform;
    private final McpClient mcp = new McpClient(Duration.ofSeconds(75));
    private final Teardown teardown;
    private final TeamEvents events;
    private final Map<String, Token> tokens = new java.util.concurrent.ConcurrentHashMap<>();

    static final int WARM_SAMPLES = 5;
    static final Duration TOKEN_REUSE = Duration.ofMinutes(4);

    /** One team's figures; null where it was not measured (see its notes). */
    public record TeamResult(
            String team,
            String app,
            String machine,
            Long createToProvisionedMs,
            Long createToRoutableMs,
            Long createToFirstToolsListMs,
            Long firstToolsListMs,
            Long warmToolsListMs,
            Wakes.Wake fromStopped,
            Wakes.Wake fromSuspended,
            Map<String, Object> provisionerFlyCalls,
            List<String> notes) {

        /** Whether the team's server is a claimed warm-pool app rather than one created for it. */
        public boolean fromPool() {
            return app != null && app.startsWith(TrialPool.APP_PREFIX);
        }

        TeamResult withProvisionerFlyCalls(Map<String, Object> calls) {
            return new TeamResult(
                    team,
                    app,
                    machine,
                    createToProvisionedMs,
                    createToRoutableMs,
                    createToFirstToolsListMs,
                    firstToolsListMs,
                    warmToolsListMs,
                    fromStopped,
                    fromSuspended,
                    calls,
                    notes);
        }
    }

    /**
     * @param loadAverages the host's 1-minute load average at the start and at the end: on a shared host, what else
     *     was running weighs on every figure
     */
    public record Result(
            Instant startedAt,
            Instant finishedAt,
            List<TeamResult> teams,
            FlyAnswers answers,
            Teardown.Result teardown,
            List<Double> loadAverages) {}

    /** How often each team is polled while it is being created. */
    static final Duration POLL = Duration.ofMillis(100);

    public Trial(TrialEnvironment env, TrialOptions options, PrintStream out) {
        this.env = env;
        this.options = options;
        this.out = out;
        this.fly = new MachinesApi(env.flyApiUrl(), env.flyToken(), answers);
        this.platform = new Platform(env);
        this.events = new TeamEvents(env.kafkaBootstrap());
        this.teardown = new Teardown(events::deleted, fly::appExists, options.teardownWithin(), out);
    }

    /** The trial's Machines API client: its calls and Fly's answers count in the report. */
    public MachinesApi machinesApi() {
        return fly;
    }

    /** Runs from a shutdown hook as well as at the end: Ctrl-C still removes what was made. */
    public Teardown.Result tearDown() throws InterruptedException {
        return teardown.run();
    }

    public Result run() throws InterruptedException {
        Instant startedAt = Instant.now();
        double loadAtStart = loadAverage();
        String run = runId();
        List<String> teams = new ArrayList<>();
        for (int i = 1; i <= options.teams(); i++) {
            teams.add("trial-" + run + "-" + i);
        }
        Map<String, TeamProgress> progress = new LinkedHashMap<>();
        try {
            for (String team : teams) {
                teardown.track(team, env.appPrefix() + team);
                Instant before = Instant.now();
                events.created(team, options.plan(), options.region());
                progress.put(team, new TeamProgress(team, before));
                out.printf(
                        "  published team.created for %s (plan %s, region %s)%n",
                        team, options.plan(), options.region());
            }
            awaitFirstToolsList(progress);
            List<TeamResult> measured = new ArrayList<>();
            for (TeamProgress team : progress.values()) {
                measured.add(measure(team));
            }
            Teardown.Result down = teardown.run();
            // after the teardown, so the audit holds the deletes (and any limit they ran into) too
            List<TeamResult> results = new ArrayList<>();
            for (TeamResult result : measured) {
                results.add(result.withProvisionerFlyCalls(platform.flyCallSummary(result.team(), answers)));
            }
            return new Result(startedAt, Instant.now(), results, answers, down, List.of(loadAtStart, loadAverage()));
        } finally {
            teardown.run();
            events.close();
        }
    }

    /**
     * Polls every team at once, each on a thread of its own every {@link #POLL} (a claim from the pool takes about a
     * second on Fly: polling the teams one after another, with a pause per round, added up to a second or two to
     * every figure).
     */
    private void awaitFirstToolsList(Map<String, TeamProgress> progress) throws InterruptedException {
        Instant deadline = Instant.now().plus(options.createWithin());
        List<Future<?>> polls = new ArrayList<>();
        try (var pollers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (TeamProgress team : progress.values()) {
                polls.add(pollers.submit(() -> {
                    pollUntilAnswered(team, deadline);
                    return null;
                }));
            }
        }
        for (Future<?> poll : polls) {
            try {
                poll.get();
            } catch (ExecutionException failed) {
                // a poller that broke off says why, instead of its team only "not answering"
                throw new IllegalStateException("polling a team failed: " + failed.getCause(), failed.getCause());
            }
        }
        progress.values().stream()
                .filter(t -> t.firstToolsListAt == null)
                .forEach(t -> out.printf(
                        "  %s did not answer within %d s (%s)%n",
                        t.team, options.createWithin().toSeconds(), t.lastFailure));
    }

    private void pollUntilAnswered(TeamProgress team, Instant deadline) throws InterruptedException {
        while (team.firstToolsListAt == null && Instant.now().isBefore(deadline)) {
            if (team.provisionedAt == null
                    && platform.provisionerTeam(team.team)
                            .map(t -> "ready".equals(t.path("status").asString()))
                            .orElse(false)) {
                team.provisionedAt = Instant.now();
            }
            var entry = platform.registryEntry(team.team);
            entry.ifPresent(e -> {
                if (e.path("app").isString()) {
                    team.app = e.path("app").asString();
                    teardown.appIs(team.team, team.app);
                }
            });
            if (entry.isPresent() && Platform.routable(entry.get())) {
                if (team.routableAt == null) {
                    team.routableAt = Instant.now();
                }
                ToolsList first = mcp.toolsList(
                        platform.gatewayUrl(team.team), env.agentToken().apply(team.team));
                if (first.ok()) {
                    team.firstToolsListAt = Instant.now();
                    team.firstToolsList = first.took();
                    out.printf(
                            "  %s answered tools/list through the gateway %.1f s after its team.created%n",
                            team.team, ms(team.publishedAt, team.firstToolsListAt) / 1000.0);
                    return;
                }
                team.lastFailure = first.failure();
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private TeamResult measure(TeamProgress team) throws InterruptedException {
        List<String> notes = new ArrayList<>();
        String app = team.app != null ? team.app : env.appPrefix() + team.team;
        String machine = null;
        Long warm = null;
        Wakes.Wake stopped = null;
        Wakes.Wake suspended = null;
        if (team.firstToolsListAt == null) {
            notes.add("never answered tools/list: " + team.lastFailure);
        } else {
            warm = warmMedian(team.team, token(team.team), notes);
            List<String> machines = fly.machines(app);
            if (machines.isEmpty()) {
                notes.add("no machine found in " + app);
            } else {
                machine = machines.get(0);
                if (machines.size() > 1) {
                    notes.add(machines.size() + " machines; woke " + machine + " (the gateway may reach another)");
                }
                Wakes wakes = new Wakes(fly);
                Supplier<ToolsList> request = () -> mcp.toolsList(platform.gatewayUrl(team.team), token(team.team));
                stopped = wakes.measure(app, machine, "stopped", request);
                suspended = wakes.measure(app, machine, "suspended", request);
                out.printf(
                        "  %s: warm tools/list %s ms; from stopped %s ms (request) / %s ms (API);"
                                + " from suspended %s ms (request) / %s ms (API)%n",
                        team.team,
                        warm == null ? "-" : warm,
                        stopped.viaRequestMs(),
                        stopped.viaApiMs(),
                        suspended.viaRequestMs(),
                        suspended.viaApiMs());
            }
        }
        return new TeamResult(
                team.team,
                app,
                machine,
                msOrNull(team.publishedAt, team.provisionedAt),
                msOrNull(team.publishedAt, team.routableAt),
                msOrNull(team.publishedAt, team.firstToolsListAt),
                team.firstToolsList == null ? null : team.firstToolsList.toMillis(),
                warm,
                stopped,
                suspended,
                Map.of(),
                notes);
    }

    /** The median of {@value #WARM_SAMPLES} exchanges with the running server; null if one failed. */
    private Long warmMedian(String team, String token, List<String> notes) {
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < WARM_SAMPLES; i++) {
            ToolsList warm = mcp.toolsList(platform.gatewayUrl(team), token);
            if (!warm.ok()) {
                notes.add("warm tools/list failed: " + warm.failure());
                return null;
            }
            samples.add(warm.took().toMillis());
        }
        return TrialReport.median(samples.stream().sorted().toList());
    }

    /** One agent token per team for a few minutes, as an agent keeps its token (the registry caches it verified). */
    private String token(String team) {
        Instant now = Instant.now();
        var cached = tokens.get(team);
        if (cached == null || cached.minted().isBefore(now.minus(TOKEN_REUSE))) {
            cached = new Token(env.agentToken().apply(team), now);
            tokens.put(team, cached);
        }
        return cached.value();
    }

    private record Token(String value, Instant minted) {}

    private static double loadAverage() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage();
        return Math.round(load * 100) / 100.0;
    }

    private static String runId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var random = new SecureRandom();
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private static long ms(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }

    private static Long msOrNull(Instant from, Instant to) {
        return to == null ? null : ms(from, to);
    }

    /** Where one team stands while the creates converge. */
    private static final class TeamProgress {
        final String team;
        final Instant publishedAt;
        String app;
        Instant provisionedAt;
        Instant routableAt;
        Instant firstToolsListAt;
        Duration firstToolsList;
        String lastFailure = "no registry entry yet";

        TeamProgress(String team, Instant publishedAt) {
            this.team = team;
            this.publishedAt = publishedAt;
        }
    }
}
