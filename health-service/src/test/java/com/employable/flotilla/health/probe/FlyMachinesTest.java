package com.employable.flotilla.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Listing apps' machines within Fly's rate limit, against a stand-in Machines API: probes of one app share listings,
 * and a listing that fails is reported as the API's problem.
 */
class FlyMachinesTest {

    private final HttpServer api = start();

    private final Map<String, AtomicInteger> listings = new ConcurrentHashMap<>();

    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    private final AtomicInteger status = new AtomicInteger(200);

    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        api.stop(0);
        threads.shutdownNow();
    }

    private HttpServer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/v1/apps/", exchange -> {
                String app = exchange.getRequestURI().getPath().split("/")[3];
                listings.computeIfAbsent(app + "?" + exchange.getRequestURI().getQuery(), k -> new AtomicInteger())
                        .incrementAndGet();
                authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
                byte[] body = "[{\"id\":\"148e21ea7d0589\",\"state\":\"started\",\"checks\":[]}]"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status.get(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            http.start();
            return http;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private FlyMachines machines(String token, Duration listInterval) {
        var properties = new FlyChecksProperties(
                URI.create("http://127.0.0.1:" + api.getAddress().getPort()), token, "mcp", listInterval, 4096);
        return new FlyMachines(new OkHttpClient(), threads, properties, Clock.systemUTC());
    }

    @Test
    void probesOfOneAppShareAListingWithinTheListInterval() {
        FlyMachines machines = machines("FlyV1 fm2_macaroon", Duration.ofHours(1));

        IntStream.range(0, 20)
                .mapToObj(i -> machines.startedMachines("flotilla-team-acme"))
                .toList()
                .forEach(listing -> assertThat(listing.join().machines()).hasSize(1));
        machines.startedMachines("flotilla-team-bravo").join();

        assertThat(listings).containsOnlyKeys("flotilla-team-acme?state=started", "flotilla-team-bravo?state=started");
        assertThat(listings.get("flotilla-team-acme?state=started")).hasValue(1);
        assertThat(authorizations).containsOnly("FlyV1 fm2_macaroon");
    }

    @Test
    void afterTheListIntervalTheNextProbeListsAgain() {
        FlyMachines machines = machines("plain-token", Duration.ofMillis(200));
        machines.startedMachines("flotilla-team-acme").join();

        await().atMost(Duration.ofSeconds(5)).until(() -> {
            machines.startedMachines("flotilla-team-acme").join();
            return listings.get("flotilla-team-acme?state=started").get() == 2;
        });
        assertThat(authorizations).containsOnly("Bearer plain-token");
    }

    @Test
    void aListingTheApiRefusesIsItsProblemNotTheMachines() {
        FlyMachines machines = machines("revoked", Duration.ofMillis(100));
        for (int code : new int[] {401, 429, 503}) {
            status.set(code);
            String app = "flotilla-team-a" + code;
            FlyMachines.Listing listing = machines.startedMachines(app).join();
            assertThat(listing.machines()).isNull();
            assertThat(listing.problem())
                    .isEqualTo(
                            switch (code) {
                                case 401 -> "Machines API refused the token (HTTP 401)";
                                case 429 -> "Machines API rate limit (HTTP 429)";
                                default -> "Machines API answered HTTP 503";
                            });
        }
        api.stop(0);
        assertThat(machines.startedMachines("flotilla-team-gone").join().problem())
                .startsWith("Machines API unreachable: ");
    }
}
