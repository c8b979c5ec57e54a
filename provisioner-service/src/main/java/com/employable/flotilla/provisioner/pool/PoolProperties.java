package com.employable.flotilla.provisioner.pool;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The warm pool ({@code flotilla.provisioner.pool}).
 *
 * @param enabled          off by default: every entry is a Fly app with a stopped machine, paid for by the platform
 * @param targets          region to the number of ready entries kept there (e.g. {@code fra: 5}); a region must be
 *                         in a residency group
 * @param refillPerMinute  at most this many new entries per region per minute; each entry is about six Fly calls, each
 *                         on its own app or machine id, so Fly's per-id limit (1 req/s, bursts of 3) is never met;
 *                         bounded to 60 (one app create a second per region)
 * @param builders         entries built at once (each is a thread while its machine boots and is checked)
 * @param tick             how often the pool is maintained (recycle, clean up, refill)
 * @param creatingTimeout  an entry still creating after this long, and built by nobody here, was left by a crash: its
 *                         app is destroyed and the entry replaced
 * @param checkTimeout     how long a new entry's machine may take to start, and its team server to answer its check
 */
@ConfigurationProperties("flotilla.provisioner.pool")
public record PoolProperties(
        @DefaultValue("false") boolean enabled,
        Map<String, Integer> targets,
        @DefaultValue("12") int refillPerMinute,
        @DefaultValue("2") int builders,
        @DefaultValue("1s") Duration tick,
        @DefaultValue("5m") Duration creatingTimeout,
        @DefaultValue("60s") Duration checkTimeout) {

    public PoolProperties {
        targets = targets == null ? Map.of() : Map.copyOf(targets);
        targets.forEach((region, target) -> {
            if (target == null || target < 0) {
                throw new IllegalArgumentException(
                        "flotilla.provisioner.pool.targets." + region + " must be zero or more");
            }
        });
        if (refillPerMinute < 1 || refillPerMinute > 60) {
            throw new IllegalArgumentException("flotilla.provisioner.pool.refill-per-minute must be 1 to 60");
        }
        if (builders < 1) {
            throw new IllegalArgumentException("flotilla.provisioner.pool.builders must be at least 1");
        }
    }

    public static PoolProperties disabled() {
        return new PoolProperties(
                false, Map.of(), 12, 2, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(60));
    }
}
