package com.employable.flotilla.localfly.checks;

import com.employable.flotilla.localfly.machines.MachineBoot;
import com.employable.flotilla.localfly.machines.MachineView;
import com.employable.flotilla.localfly.machines.Machines;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What flyd does with a machine's {@code config.checks}: while the machine is started, each check runs against the
 * machine itself every {@code interval}, the first time {@code grace_period} after the start; never through the proxy,
 * so a check is not activity for autostop and never wakes a machine. Results are what the Machines API reports in
 * the machine's {@code checks[]}: a stopped or suspended machine's checks stop updating and keep their last result.
 *
 * <p>Each start (a boot, a resume, a restart) begins a new run: its checks report {@code warning} ("waiting for the
 * first run", updated at the start) until they first run. {@code updated_at} moves only when a check's status
 * changes, as Fly documents it; {@code output} is the latest run's. A result that arrives after the machine stopped,
 * suspended or restarted is dropped. The simulated runtime has no process to check: its checks stay {@code warning}.
 */
public final class MachineChecks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MachineChecks.class);

    /** How often the loop looks for started machines and checks that are due. */
    static final Duration TICK = Duration.ofMillis(50);

    private static final Duration SWEEP = Duration.ofSeconds(10);

    private final Machines machines;

    private final Clock clock;

    private final Map<String, MachineRun> runs = new ConcurrentHashMap<>();

    private ScheduledExecutorService timer;

    private ExecutorService workers;

    private CheckRun checkRun;

    private Instant lastSweep = Instant.EPOCH;

    public MachineChecks(Machines machines, Clock clock) {
        this.machines = machines;
        this.clock = clock;
    }

    /** Starts flyd's loop (local-fly starts it; tests of other resources leave it off). */
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        workers = Executors.newCachedThreadPool(runnable -> daemon(runnable, "local-fly-check"));
        checkRun = new CheckRun(HttpClient.newBuilder()
                .executor(workers)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "local-fly-checks"));
        timer.scheduleWithFixedDelay(this::tickSafely, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The machine's checks as the Machines API reports them, by name; empty for a machine never started. */
    public List<CheckStatus> statuses(String machineId) {
        MachineRun run = runs.get(machineId);
        return run == null ? List.of() : run.statuses();
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("Machine checks loop failed: {}", e.toString());
        }
    }

    /** One pass: new runs for machines that (re)started, due checks started on the workers. */
    void tick() {
        Instant now = clock.instant();
        for (MachineBoot boot : machines.startedBoots()) {
            MachineRun run = runs.get(boot.machineId());
            if (run == null || !run.boot().eventId().equals(boot.eventId())) {
                Optional<MachineRun> begun = begin(boot);
                if (begun.isEmpty()) {
                    continue;
                }
                run = begun.get();
                runs.put(boot.machineId(), run);
            }
            MachineRun current = run;
            for (CheckDefinition check : run.due(now)) {
                try {
                    workers.execute(() -> execute(current, check));
                } catch (RejectedExecutionException closing) {
                    return;
                }
            }
        }
        if (Duration.between(lastSweep, now).compareTo(SWEEP) >= 0) {
            lastSweep = now;
            // a destroyed machine's checks go with it
            runs.keySet().removeIf(id -> machines.find(id).isEmpty());
        }
    }

    private Optional<MachineRun> begin(MachineBoot boot) {
        Optional<MachineView> machine = machines.find(boot.machineId());
        if (machine.isEmpty()) {
            return Optional.empty();
        }
        var checks = new TreeMap<String, CheckDefinition>();
        machine.get()
                .config()
                .path("checks")
                .properties()
                .forEach(entry -> checks.put(entry.getKey(), CheckDefinition.from(entry.getKey(), entry.getValue())));
        return Optional.of(new MachineRun(boot, new ArrayList<>(checks.values())));
    }

    private void execute(MachineRun run, CheckDefinition check) {
        CheckRun.Result result = checkRun.run(check, run.boot());
        // flyd ends a machine's checks with its run: a late answer is not a result of the machine as it is now
        boolean sameRun = machines.currentBoot(run.boot().machineId())
                .map(boot -> boot.eventId().equals(run.boot().eventId()))
                .orElse(false);
        run.finished(check, sameRun ? result : null, clock.instant());
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            workers.shutdownNow();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
