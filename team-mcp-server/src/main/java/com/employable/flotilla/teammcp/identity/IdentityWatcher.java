package com.employable.flotilla.teammcp.identity;

import com.employable.flotilla.teammcp.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a pool server's identity file and hands the first valid identity over, exactly once.
 *
 * <p>Why a stat poll every 50 ms rather than a {@code WatchService}: the provisioner measures the claim, and a poll
 * bounds detection at 50 ms on every file system, while a watch service depends on one (inotify on Linux, a 2 s+
 * polling fallback elsewhere, nothing on some overlay or network mounts), does not work while the directory does not
 * exist yet, and would need this poll as its fallback anyway. A stat is a few microseconds, so 20 a second cost
 * nothing measurable, even at Fly's shared-CPU baseline; a suspended machine runs no thread at all. The file is told
 * apart by its inode, modification time and size, so the writer's rename of a new file is always seen.
 *
 * <p>A refused file is logged once (its reason names keys, never values) and the server stays in pool mode; a later,
 * different file is read again. After the switch the file is checked once a second only to log, once, that a change
 * is ignored; then the thread ends.
 */
public final class IdentityWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IdentityWatcher.class);

    static final Duration POLL = Duration.ofMillis(50);
    static final Duration POLL_AFTER_SWITCH = Duration.ofSeconds(1);

    private final Path file;
    private final Map<String, String> env;
    private final Predicate<ServerConfig> switchTo;
    private final Runnable warmUp;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param env the env the server started with (the placeholder identity)
     * @param switchTo takes the team's config; true once the server serves it, false if it could not
     * @param warmUp run on the watcher's thread before it first looks at the file: whatever makes the switch fast
     */
    public IdentityWatcher(Path file, Map<String, String> env, Predicate<ServerConfig> switchTo, Runnable warmUp) {
        this.file = file;
        this.env = Map.copyOf(env);
        this.switchTo = switchTo;
        this.warmUp = warmUp;
        this.thread =
                Thread.ofPlatform().name("identity-file-watcher").daemon(true).unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    private record Seen(Object fileKey, FileTime modified, long size) {}

    private void run() {
        try {
            warmUp.run();
        } catch (RuntimeException e) {
            // only a cost: the switch then loads what the warm-up would have
            log.warn("Warm-up for the identity switch failed: {}", e.toString());
        }
        Seen seen = null;
        while (running) {
            Seen now = stat();
            if (now != null && !now.equals(seen)) {
                byte[] content = read();
                if (content != null) {
                    seen = now;
                    if (take(content, now.modified())) {
                        ignoreLaterChanges(seen);
                        return;
                    }
                }
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    private boolean take(byte[] content, FileTime modified) {
        IdentityFile.Outcome outcome = IdentityFile.parse(content, env);
        if (outcome instanceof IdentityFile.Outcome.Refused refused) {
            log.warn("Refused identity file {}: {}; staying in pool mode", file, refused.reason());
            return false;
        }
        ServerConfig config = ((IdentityFile.Outcome.Identity) outcome).config();
        long switching = System.nanoTime();
        if (!switchTo.test(config)) {
            return false;
        }
        long switched = System.nanoTime();
        log.info(
                "Took the identity of team {} from {}: serving it {} ms after the file was written (the switch: {} ms)",
                config.teamId(),
                file,
                Duration.between(modified.toInstant(), Instant.now()).toMillis(),
                (switched - switching) / 1_000_000);
        return true;
    }

    private void ignoreLaterChanges(Seen taken) {
        while (running) {
            LockSupport.parkNanos(POLL_AFTER_SWITCH.toNanos());
            if (running && !Objects.equals(stat(), taken)) {
                log.warn("Identity file {} changed after the switch; ignored until the server restarts", file);
                return;
            }
        }
    }

    private Seen stat() {
        try {
            var attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.isRegularFile()
                    ? new Seen(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size())
                    : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The content, or null when it cannot be read now (gone between stat and read: tried again next poll). */
    private byte[] read() {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(IdentityFile.MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            log.warn("Cannot read identity file {}: {}", file, e.getClass().getSimpleName());
            return null;
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
