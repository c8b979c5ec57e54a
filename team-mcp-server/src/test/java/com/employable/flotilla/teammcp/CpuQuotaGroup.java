package com.employable.flotilla.teammcp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A child group of the cgroup v1 cpu controller with a CFS quota, as Fly's shared vCPU enforces it (a quota per 80 ms
 * period, no burst): for {@link TeamMcpServerCpuQuotaBenchmark}. A process joins it by writing its own pid into
 * {@code cgroup.procs} before it execs the JVM, so every JVM thread starts inside the quota.
 */
record CpuQuotaGroup(Path dir) implements AutoCloseable {

    static final Path CPU_ROOT = Path.of("/sys/fs/cgroup/cpu");
    static final long PERIOD_US = 80_000;

    /** Why this host cannot run the quota modes, or null when it can (cgroup v1 cpu controller, writable). */
    static String unavailableReason() {
        if (!Files.isRegularFile(CPU_ROOT.resolve("cpu.cfs_quota_us"))) {
            return "no cgroup v1 cpu controller at " + CPU_ROOT + " (cgroup v2 or not mounted)";
        }
        if (!Files.isWritable(CPU_ROOT)) {
            return CPU_ROOT + " is not writable (needs root)";
        }
        return null;
    }

    /** Creates (or re-creates, after an interrupted run) the group with quota µs per 80 ms period and no burst. */
    static CpuQuotaGroup create(String name, long quotaUs) throws IOException {
        Path dir = CPU_ROOT.resolve(name);
        if (Files.isDirectory(dir)) {
            Files.delete(dir); // a cgroup directory is removed with rmdir, which fails while a task is still in it
        }
        Files.createDirectory(dir);
        var group = new CpuQuotaGroup(dir);
        try {
            group.write("cpu.cfs_period_us", PERIOD_US);
            group.write("cpu.cfs_quota_us", quotaUs);
            if (Files.exists(dir.resolve("cpu.cfs_burst_us"))) {
                // Fly's burst balance is what this measures without: a machine that has spent it
                group.write("cpu.cfs_burst_us", 0);
            }
        } catch (IOException | RuntimeException e) {
            group.close();
            throw e;
        }
        return group;
    }

    /** The command that joins this group and then execs the given command (same pid, so /proc/pid is the JVM). */
    List<String> wrap(List<String> command) {
        return TeamMcpServerBenchmark.concat(
                List.of(
                        "sh",
                        "-c",
                        "echo $$ > \"$0\" && exec \"$@\"",
                        dir.resolve("cgroup.procs").toString()),
                command);
    }

    /** Number of periods in which the group was throttled, from its cpu.stat. */
    long throttledPeriods() throws IOException {
        for (String line : Files.readAllLines(dir.resolve("cpu.stat"))) {
            if (line.startsWith("nr_throttled ")) {
                return Long.parseLong(line.substring("nr_throttled ".length()).strip());
            }
        }
        return -1;
    }

    private void write(String file, long value) throws IOException {
        Files.writeString(dir.resolve(file), Long.toString(value));
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(dir);
    }
}
