package com.employable.flotilla.provisioner.fly;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the Fly Machines API is and how hard to lean on it. The same values drive real Fly and local-fly: only the
 * base URL differs.
 *
 * @param apiUrl         {@code https://api.machines.dev} on Fly; local-fly's URL in development
 * @param token          org-scoped token ({@code fly tokens create org}); never logged
 * @param org            organization slug apps are created in
 * @param connectTimeout TCP connect bound per call
 * @param callTimeout    whole-call bound (wait calls add their own server-side timeout to it)
 * @param maxAttempts    attempts per idempotent call (first try included) on 429, 5xx and I/O errors
 * @param retryBase      first backoff; doubles per attempt with jitter
 * @param leaseTtl       lease held around each machine mutation (flyctl uses 13 s so a crashed holder frees it fast)
 * @param limits         token buckets per limit class (see {@link #DEFAULT_LIMITS}); a configured class replaces
 *                       the default of its name
 * @param limitWait      longest a call waits for its permit before it fails as rate limited (429, retried)
 * @param limiterIdle    a bucket unused this long is forgotten (at least its refill time, so nothing is lost)
 * @param concurrentCalls a reconcile makes its independent calls at once; off, one after the other (to compare)
 */
@ConfigurationProperties("flotilla.fly")
public record FlyProperties(
        @DefaultValue("https://api.machines.dev") URI apiUrl,
        @DefaultValue("") String token,
        @DefaultValue("personal") String org,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("30s") Duration callTimeout,
        @DefaultValue("5") int maxAttempts,
        @DefaultValue("200ms") Duration retryBase,
        @DefaultValue("13s") Duration leaseTtl,
        Map<String, RateLimit> limits,
        @DefaultValue("30s") Duration limitWait,
        @DefaultValue("5m") Duration limiterIdle,
        @DefaultValue("true") boolean concurrentCalls) {

    /** A call's default class: 1 request/s per action and machine or app id, bursts of 3. */
    public static final String DEFAULT = "default";

    public static final String GET_MACHINE = "get-machine";
    public static final String CREATE_APP = "create-app";
    public static final String DELETE_APP = "delete-app";

    /**
     * Fly's documented limits (reference §1.12). App creates carry no app id yet, so they are counted per org, at the
     * per-action rate; app deletions at 100 a minute with a burst of 10.
     */
    public static final Map<String, RateLimit> DEFAULT_LIMITS = Map.of(
            DEFAULT, RateLimit.perSecond(1, 3),
            GET_MACHINE, RateLimit.perSecond(5, 10),
            CREATE_APP, RateLimit.perSecond(1, 3),
            DELETE_APP, new RateLimit(100, Duration.ofMinutes(1), 10));

    /** Classes keyed on the org rather than an app or machine: every instance of the service shares their bucket. */
    public static final Set<String> ORG_SCOPED = Set.of(CREATE_APP, DELETE_APP);

    @ConstructorBinding
    public FlyProperties {
        var merged = new HashMap<>(DEFAULT_LIMITS);
        if (limits != null) {
            merged.putAll(limits);
        }
        limits = Map.copyOf(merged);
        limitWait = limitWait == null ? Duration.ofSeconds(30) : limitWait;
        limiterIdle = limiterIdle == null ? Duration.ofMinutes(5) : limiterIdle;
    }

    /** Fly's documented limits. */
    public FlyProperties(
            URI apiUrl,
            String token,
            String org,
            Duration connectTimeout,
            Duration callTimeout,
            int maxAttempts,
            Duration retryBase,
            Duration leaseTtl) {
        this(apiUrl, token, org, connectTimeout, callTimeout, maxAttempts, retryBase, leaseTtl, null, null, null, true);
    }

    public FlyProperties withLimits(Map<String, RateLimit> replaced) {
        var merged = new HashMap<>(limits);
        merged.putAll(replaced);
        return new FlyProperties(
                apiUrl,
                token,
                org,
                connectTimeout,
                callTimeout,
                maxAttempts,
                retryBase,
                leaseTtl,
                merged,
                limitWait,
                limiterIdle,
                concurrentCalls);
    }

    public RateLimit limit(String limitClass) {
        RateLimit limit = limits.get(limitClass);
        if (limit == null) {
            throw new IllegalArgumentException("no rate limit class " + limitClass);
        }
        return limit;
    }

    @Override
    public String toString() {
        return "FlyProperties[apiUrl=" + apiUrl + ", org=" + org + ", token=" + (token.isBlank() ? "(none)" : "***")
                + ", limits=" + limits + "]";
    }
}
