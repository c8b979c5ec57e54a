package com.employable.flotilla.health.probe;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lists one app's started machines through the Fly Machines API ({@code GET /v1/apps/{app}/machines?state=started},
 * with their {@code checks[]}), within Fly's rate limit: one listing per app at a time and at most one per
 * {@code list-interval}; probes of the same app in between share the latest listing. A listing that fails (Fly
 * unreachable, 429, 5xx, a refused token) is reported as such, never as a team server's failure: a control-plane
 * outage is waited out.
 */
final class FlyMachines {

    private static final Logger log = LoggerFactory.getLogger(FlyMachines.class);

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final OkHttpClient http;

    private final ExecutorService threads;

    private final FlyChecksProperties properties;

    private final Clock clock;

    private final Map<String, Paced> apps = new ConcurrentHashMap<>();

    private volatile long lastWarningNanos;

    FlyMachines(OkHttpClient http, ExecutorService threads, FlyChecksProperties properties, Clock clock) {
        this.http = http;
        this.threads = threads;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * One listing: the machines (a JSON array) or why there are none.
     *
     * @param fetchedAt when the listing was asked for
     * @param machines the machines as Fly describes them; {@code null} when {@code problem} is set
     * @param problem why the machines could not be read
     */
    record Listing(Instant fetchedAt, JsonNode machines, String problem) {}

    /** The app's started machines: a listing under way, the latest one if recent enough, else a new one. */
    CompletableFuture<Listing> startedMachines(String app) {
        return apps.computeIfAbsent(app, ignored -> new Paced()).next(app);
    }

    /** Forgets apps not listed for a while, so apps that left the registry are not remembered for ever. */
    void forgetIdle(long olderThanNanos) {
        long now = System.nanoTime();
        apps.values().removeIf(paced -> paced.idleSince(now) > olderThanNanos);
    }

    private Listing fetch(String app) {
        Instant fetchedAt = clock.instant();
        HttpUrl url = HttpUrl.get(properties.apiUrl().toString())
                .newBuilder()
                .addPathSegments("v1/apps")
                .addPathSegment(app)
                .addPathSegment("machines")
                .addQueryParameter("state", "started")
                .build();
        Request request = new Request.Builder()
                .url(url)
                .header("Authorization", properties.authorization())
                .header("Accept", "application/json")
                .build();
        try (Response response = http.newCall(request).execute()) {
            int status = response.code();
            if (status != 200) {
                return new Listing(fetchedAt, null, refused(status));
            }
            BufferedSource body = response.body().source();
            if (body.request(properties.maxResponseBytes() + 1L)) {
                return new Listing(
                        fetchedAt,
                        null,
                        "Machines API answer is larger than " + properties.maxResponseBytes() + " bytes");
            }
            JsonNode machines = JSON.readTree(body.readUtf8());
            return machines != null && machines.isArray()
                    ? new Listing(fetchedAt, machines, null)
                    : new Listing(fetchedAt, null, "Machines API answer is not a machine list");
        } catch (JacksonException notJson) {
            return new Listing(fetchedAt, null, "Machines API answer is not JSON");
        } catch (InterruptedIOException timeout) {
            return new Listing(fetchedAt, null, "Machines API did not answer in time");
        } catch (IOException unreachable) {
            return new Listing(
                    fetchedAt,
                    null,
                    "Machines API unreachable: " + unreachable.getClass().getSimpleName());
        }
    }

    private String refused(int status) {
        String problem = switch (status) {
            case 401, 403 -> "Machines API refused the token (HTTP " + status + ")";
            case 404 -> "Machines API knows no such app (HTTP 404)";
            case 429 -> "Machines API rate limit (HTTP 429)";
            default -> "Machines API answered HTTP " + status;
        };
        if (status == 401 || status == 403) {
            long now = System.nanoTime();
            if (now - lastWarningNanos > 60_000_000_000L) {
                lastWarningNanos = now;
                // every team goes unjudged until this is fixed: the operator must hear of it
                log.warn("{}: check FLY_API_TOKEN; no machine is judged meanwhile", problem);
            }
        }
        return problem;
    }

    /** One app's listings: at most one under way, at most one started per list interval. */
    private final class Paced {

        private CompletableFuture<Listing> underWay;

        private Listing latest;

        private long latestStartedNanos;

        synchronized CompletableFuture<Listing> next(String app) {
            if (underWay != null) {
                return underWay;
            }
            long now = System.nanoTime();
            if (latest != null
                    && now - latestStartedNanos < properties.listInterval().toNanos()) {
                return CompletableFuture.completedFuture(latest);
            }
            latestStartedNanos = now;
            CompletableFuture<Listing> listing;
            try {
                listing = CompletableFuture.supplyAsync(() -> fetch(app), threads);
            } catch (RejectedExecutionException shuttingDown) {
                return CompletableFuture.completedFuture(
                        new Listing(clock.instant(), null, "not listed: the prober is shutting down"));
            }
            // the completion takes this monitor, so it clears underWay only after it is set (or finds it done here)
            CompletableFuture<Listing> recorded = listing.thenApply(result -> {
                synchronized (this) {
                    latest = result;
                    underWay = null;
                }
                return result;
            });
            if (!recorded.isDone()) {
                underWay = recorded;
            }
            return recorded;
        }

        synchronized long idleSince(long now) {
            return underWay != null ? 0 : now - latestStartedNanos;
        }
    }
}
