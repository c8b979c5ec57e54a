package com.employable.flotilla.devstack;

import com.employable.flotilla.devstack.dlt.DltCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./flotilla demo | up | down | status | logs | publish}: runs the whole platform on this machine as separate
 * processes (Kafka broker, PostgreSQL, local-fly, the four services), each startable, observable and stoppable.
 */
public final class Devstack {

    static final List<String> SERVICES =
            List.of("provisioner-service", "registry-service", "health-service", "billing-service");
    static final List<String> ORDER = List.of(
            "kafka",
            "postgres",
            "local-fly",
            "provisioner-service",
            "registry-service",
            "health-service",
            "billing-service");

    private final StackConfig config;
    private final Processes processes;
    private final PrintStream out = System.out;

    Devstack(StackConfig config) throws IOException {
        this.config = config;
        this.processes = new Processes(config.home());
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println(
                    "usage: devstack demo [--once] | up | down | status | logs <component> | publish <file> | dlt ... | trial");
            System.exit(2);
        }
        Devstack stack = new Devstack(StackConfig.fromEnv(Path.of("").toAbsolutePath()));
        int code = switch (args[0]) {
            case "demo" -> stack.demo(List.of(args).contains("--once"));
            case "up" -> stack.up() ? 0 : 1;
            case "down" -> stack.down();
            case "reset" -> stack.reset();
            case "status" -> stack.status();
            case "logs" -> stack.logs(args);
            case "publish" -> stack.publish(args);
            case "trial" -> stack.trial(List.of(args).subList(1, args.length));
            case "dlt" ->
                new DltCommand(
                                stack.config.kafkaBootstrap(),
                                System.out,
                                System.err,
                                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                                Clock.systemUTC())
                        .run(List.of(args).subList(1, args.length));
            default -> {
                System.err.println("unknown command: " + args[0]);
                yield 2;
            }
        };
        System.exit(code);
    }

    int demo(boolean once) throws Exception {
        Instant begin = Instant.now();
        List<String> started = new ArrayList<>();
        Thread stopper = new Thread(() -> stopAll(started));
        Runtime.getRuntime().addShutdownHook(stopper);
        if (!startAll(started)) {
            return 1;
        }
        out.printf(
                "All components ready in %.1f s%n",
                Duration.between(begin, Instant.now()).toMillis() / 1000.0);
        Demo demo = new Demo(config, out);
        demo.publishSampleTeams();
        boolean allReady = demo.awaitTeams();
        demo.show();
        out.printf(
                "%s in %.1f s since the command started%n",
                allReady ? "All teams ready" : "Not every team ready",
                Duration.between(begin, Instant.now()).toMillis() / 1000.0);
        if (once) {
            return allReady ? 0 : 1;
        }
        out.println("Platform running; Ctrl-C stops everything this command started.");
        Thread.currentThread().join();
        return 0;
    }

    /** {@code ./flotilla trial}: see {@link TrialCommand}. */
    int trial(List<String> args) throws Exception {
        TrialCommand.Starter starter = this::startAll;
        return new TrialCommand(config, processes, out, starter, this::stopAll).run(args);
    }

    boolean up() throws Exception {
        return startAll(new ArrayList<>());
    }

    boolean startAll(List<String> started) throws Exception {
        return startAll(config, started);
    }

    /** Starts what is not running, as {@code stack} describes it (a trial may add a warm pool to the provisioner). */
    boolean startAll(StackConfig stack, List<String> started) throws Exception {
        Map<String, Component> components = stack.components();
        for (String name : ORDER) {
            Component c = components.get(name);
            if (c == null) {
                out.printf("  %-20s %s%n", name, stack.skipReason(name));
                continue;
            }
            if (processes.start(c)) {
                started.add(name);
                if (name.equals("provisioner-service")) {
                    TrialCommand.recordTarget(stack);
                }
            }
            if (name.equals("kafka") || name.equals("postgres") || name.equals("local-fly")) {
                // infrastructure first: the services fail fast without it
                if (!await(List.of(c))) {
                    return false;
                }
                if (name.equals("postgres")) {
                    DatabaseRoles.ensure(stack, stack.secrets());
                }
            }
        }
        List<Component> services =
                SERVICES.stream().map(components::get).filter(c -> c != null).toList();
        return await(services);
    }

    private boolean await(List<Component> components) throws InterruptedException {
        Instant deadline = Instant.now().plus(config.startTimeout());
        Instant begin = Instant.now();
        List<Component> pending = new ArrayList<>(components);
        while (!pending.isEmpty()) {
            pending.removeIf(c -> Processes.ready(c.readyUrl()));
            for (Component c : pending) {
                if (processes.running(c.name()).isEmpty()) {
                    out.printf("%n%s exited; last lines of %s:%n", c.name(), processes.log(c.name()));
                    tail(c.name(), 30);
                    return false;
                }
            }
            String waiting = pending.stream()
                    .map(Component::name)
                    .reduce((a, b) -> a + ", " + b)
                    .orElse("");
            if (pending.isEmpty()) {
                break;
            }
            Progress.line(
                    out,
                    "  starting " + waiting,
                    Duration.between(begin, Instant.now()).toSeconds());
            if (Instant.now().isAfter(deadline)) {
                out.printf("%nTimed out waiting for %s (see .flotilla/logs/)%n", waiting);
                return false;
            }
            Thread.sleep(500);
        }
        Progress.done(
                out,
                "  ready: "
                        + String.join(
                                ", ", components.stream().map(Component::name).toList()));
        return true;
    }

    void stopAll(List<String> names) {
        List<String> reversed = new ArrayList<>(names);
        java.util.Collections.reverse(reversed);
        for (String name : reversed) {
            if (processes.stop(name)) {
                out.println("  stopped " + name);
            }
        }
        if (names.contains("postgres")) {
            PostgresOrphans.stop(config.home().resolve("pg"));
        }
    }

    int down() {
        stopAll(ORDER);
        PostgresOrphans.stop(config.home().resolve("pg"));
        return 0;
    }

    /** down, then forget all data (broker log, database, machines); keys stay. For changed migrations and a clean slate. */
    int reset() throws IOException {
        down();
        for (String dir : List.of("kafka", "pg", "local-fly")) {
            Path path = config.home().resolve(dir);
            if (Files.exists(path)) {
                try (var walk = Files.walk(path)) {
                    walk.sorted(java.util.Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
                out.println("  removed .flotilla/" + dir);
            }
        }
        return 0;
    }

    int status() {
        Map<String, Component> components = config.components();
        out.printf("%-20s %-8s %-8s %s%n", "COMPONENT", "PID", "STATE", "ENDPOINT");
        for (String name : ORDER) {
            Optional<ProcessHandle> h = processes.running(name);
            Component c = components.get(name);
            String state = h.isEmpty()
                    ? (c == null ? "external" : "stopped")
                    : (Processes.ready(c.readyUrl()) ? "ready" : "starting");
            out.printf(
                    "%-20s %-8s %-8s %s%n",
                    name,
                    h.map(p -> Long.toString(p.pid())).orElse("-"),
                    state,
                    c == null ? config.skipReason(name) : c.readyUrl());
        }
        out.println();
        new Demo(config, out).show();
        return 0;
    }

    int logs(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: logs <component>   (one of " + ORDER + ")");
            return 2;
        }
        Path log = processes.log(args[1]);
        if (!Files.exists(log)) {
            System.err.println("no log for " + args[1] + " at " + log);
            return 1;
        }
        Files.lines(log).forEach(out::println);
        return 0;
    }

    int publish(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: publish <event-file.json>  (an event of employable.team.lifecycle.v1)");
            return 2;
        }
        return new Demo(config, out).publishFile(Path.of(args[1]));
    }

    private void tail(String name, int lines) {
        try {
            List<String> all = Files.readAllLines(processes.log(name));
            all.subList(Math.max(0, all.size() - lines), all.size()).forEach(out::println);
        } catch (IOException e) {
            out.println("(no log)");
        }
    }

    static Map<String, String> env(Object... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1].toString());
            }
        }
        return m;
    }
}
