package com.employable.flotilla.devstack;

import com.employable.flotilla.devstack.trial.EvaluationFigures;
import com.employable.flotilla.devstack.trial.Trial;
import com.employable.flotilla.devstack.trial.TrialEnvironment;
import com.employable.flotilla.devstack.trial.TrialOptions;
import com.employable.flotilla.devstack.trial.TrialPool;
import com.employable.flotilla.devstack.trial.TrialReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code ./flotilla trial}: provisions teams through the platform on the configured Fly (local-fly, or Fly.io with
 * {@code FLY_API_TOKEN} and {@code FLOTILLA_FLY_ORG}), measures them, tears them down and writes the report; starts
 * what is not running and stops what it started.
 */
final class TrialCommand {

    /** Which Fly the running provisioner drives (local-fly or fly), so a trial never measures the wrong one. */
    static final String FLY_TARGET_FILE = "fly-target";

    /** A pool of a few entries is built within a minute or two on Fly; a trial gives up well after that. */
    static final Duration WARM_POOL_WITHIN = Duration.ofMinutes(10);

    /** The running stack's warm pool ({@link StackConfig.WarmPool#marker()}, or none). */
    static final String WARM_POOL_FILE = "warm-pool";

    interface Starter {
        boolean startAll(StackConfig stack, List<String> started) throws Exception;
    }

    private final StackConfig config;
    private final Processes processes;
    private final PrintStream out;
    private final Starter starter;
    private final Consumer<List<String>> stopper;

    TrialCommand(
            StackConfig config, Processes processes, PrintStream out, Starter starter, Consumer<List<String>> stopper) {
        this.config = config;
        this.processes = processes;
        this.out = out;
        this.starter = starter;
        this.stopper = stopper;
    }

    int run(List<String> args) throws Exception {
        TrialOptions options;
        try {
            options = TrialOptions.parse(args, config.startTimeout());
        } catch (IllegalArgumentException bad) {
            System.err.println("trial: " + bad.getMessage());
            return 2;
        }
        FlyTarget fly = config.fly();
        Optional<String> running = runningTarget();
        if (running.isPresent() && !running.get().equals(fly.name())) {
            System.err.printf(
                    "trial: the running platform drives %s, this trial would measure %s: ./flotilla down first%n",
                    running.get(), fly.name());
            return 2;
        }
        StackConfig stack = options.pool() > 0
                ? config.withWarmPool(new StackConfig.WarmPool(options.region(), options.pool(), options.plan()))
                : config;
        String wantedPool = warmPoolMarker(stack);
        Optional<String> runningPool = runningWarmPool();
        if (runningPool.isPresent() && !runningPool.get().equals(wantedPool)) {
            System.err.printf(
                    "trial: the running provisioner's warm pool is %s, this trial needs %s: ./flotilla down first%n",
                    runningPool.get(), wantedPool);
            return 2;
        }
        out.printf(
                "Trial of %d team(s) on %s (%s)%s%n",
                options.teams(),
                fly.name(),
                fly.apiUrl(),
                options.pool() > 0 ? ", " + options.pool() + " of them from a warm pool" : "");
        var trial = new Trial(environment(fly), options, out);
        // the pool apps of the org before this trial's provisioner starts are never counted or deleted
        TrialPool pool = options.pool() == 0
                ? null
                : new TrialPool(
                        trial.machinesApi(),
                        fly.org(),
                        runningPool.isPresent() ? Set.of() : TrialPool.poolApps(trial.machinesApi(), fly.org()));
        List<String> started = new ArrayList<>();
        // Ctrl-C included: what the trial made goes first, then what it started, then the pool it had built
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                trial.tearDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (pool != null && started.contains("provisioner-service")) {
                // the provisioner first, so it builds no more; the Fly API (local-fly) still up for the deletes
                stopper.accept(List.of("provisioner-service"));
                deleteUnclaimed(pool);
            }
            stopper.accept(started);
        }));
        if (!starter.startAll(stack, started)) {
            return 1;
        }
        if (pool != null) {
            out.printf(
                    "  waiting for %d warm-pool entr%s in %s%n",
                    options.pool(), options.pool() == 1 ? "y" : "ies", options.region());
            if (!pool.awaitReady(options.pool(), WARM_POOL_WITHIN)) {
                System.err.printf("trial: the warm pool was not ready within %s%n", WARM_POOL_WITHIN);
                return 1;
            }
        }
        Trial.Result result = trial.run();
        Path report = TrialReport.write(
                config.root().resolve("docs/measurements"),
                fly.name(),
                ("./flotilla trial " + String.join(" ", args)).strip(),
                options,
                result);
        out.printf("Wrote %s and its .md summary%n", config.root().relativize(report));
        int figures = EvaluationFigures.fill(config.root().resolve("docs/evaluation.md"), report);
        if (figures > 0) {
            out.printf("Filled %d real-Fly figure(s) of docs/evaluation.md from it%n", figures);
        }
        return result.teardown() != null && result.teardown().leftBehind().isEmpty() ? 0 : 1;
    }

    /** Once the trial's provisioner has stopped (so it builds no more), its pool's unclaimed apps go too. */
    private void deleteUnclaimed(TrialPool pool) {
        try {
            List<String> deleted = pool.deleteUnclaimed();
            out.printf("  teardown: %d unclaimed warm-pool app(s) deleted%n", deleted.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("trial: the warm pool's apps were not all deleted: " + e.getMessage());
        }
    }

    /** Remembers which Fly a provisioner this stack starts drives, and its warm pool. */
    static void recordTarget(StackConfig config) throws IOException {
        Files.writeString(config.home().resolve(FLY_TARGET_FILE), config.fly().name());
        Files.writeString(config.home().resolve(WARM_POOL_FILE), warmPoolMarker(config));
    }

    private static String warmPoolMarker(StackConfig config) {
        return config.warmPool() == null
                ? StackConfig.NO_WARM_POOL
                : config.warmPool().marker();
    }

    /** The running provisioner's warm pool, if devstack runs one. */
    private Optional<String> runningWarmPool() throws IOException {
        if (processes.running("provisioner-service").isEmpty()) {
            return Optional.empty();
        }
        Path marker = config.home().resolve(WARM_POOL_FILE);
        return Optional.of(Files.exists(marker) ? Files.readString(marker).strip() : StackConfig.NO_WARM_POOL);
    }

    private TrialEnvironment environment(FlyTarget fly) {
        Demo demo = new Demo(config, out);
        return new TrialEnvironment(
                fly.name(),
                config.kafkaBootstrap(),
                config.url("registry-service"),
                Demo.REGISTRY_TEAM,
                Demo.GATEWAY,
                config.url("provisioner-service"),
                config.secrets().operatorToken(),
                fly.apiUrl(),
                fly.token(),
                demo::token,
                "flotilla-team-",
                config.root().resolve("docs/measurements"));
    }

    /** The Fly the running provisioner was started against, if devstack runs one. */
    private Optional<String> runningTarget() throws IOException {
        if (processes.running("provisioner-service").isEmpty()) {
            return Optional.empty();
        }
        Path marker = config.home().resolve(FLY_TARGET_FILE);
        return Optional.of(Files.exists(marker) ? Files.readString(marker).strip() : FlyTarget.LOCAL);
    }
}
