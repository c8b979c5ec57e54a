package com.employable.flotilla.devstack;

import com.employable.flotilla.devstack.trial.EvaluationFigures;
import com.employable.flotilla.devstack.trial.Trial;
import com.employable.flotilla.devstack.trial.TrialEnvironment;
import com.employable.flotilla.devstack.trial.TrialOptions;
import com.employable.flotilla.devstack.trial.TrialReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code ./flotilla trial}: provisions teams through the platform on the configured Fly (local-fly, or Fly.io with
 * {@code FLY_API_TOKEN} and {@code FLOTILLA_FLY_ORG}), measures them, tears them down and writes the report; starts
 * what is not running and stops what it started.
 */
final class TrialCommand {

    /** Which Fly the running provisioner drives (local-fly or fly), so a trial never measures the wrong one. */
    static final String FLY_TARGET_FILE = "fly-target";

    interface Starter {
        boolean startAll(List<String> started) throws Exception;
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
        out.printf("Trial of %d team(s) on %s (%s)%n", options.teams(), fly.name(), fly.apiUrl());
        var trial = new Trial(environment(fly), options, out);
        List<String> started = new ArrayList<>();
        // Ctrl-C included: what the trial made goes first, then what it started
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                trial.tearDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopper.accept(started);
        }));
        if (!starter.startAll(started)) {
            return 1;
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

    /** Remembers which Fly a provisioner this stack starts drives. */
    static void recordTarget(StackConfig config) throws IOException {
        Files.writeString(config.home().resolve(FLY_TARGET_FILE), config.fly().name());
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
