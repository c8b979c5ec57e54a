package com.employable.flotilla.provisioner.fly;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
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
        @DefaultValue("13s") Duration leaseTtl) {

    @Override
    public String toString() {
        return "FlyProperties[apiUrl=" + apiUrl + ", org=" + org + ", token=" + (token.isBlank() ? "(none)" : "***")
                + "]";
    }
}
