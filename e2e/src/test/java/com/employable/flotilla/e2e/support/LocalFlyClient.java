package com.employable.flotilla.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.databind.JsonNode;

/** local-fly's Machines API and admin API as a harness uses them (with the org token), from outside. */
public final class LocalFlyClient {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final ServiceProcesses.LocalFly fly;

    public LocalFlyClient(ServiceProcesses.LocalFly fly) {
        this.fly = fly;
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    public JsonNode post(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, json);
    }

    public JsonNode delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null);
    }

    /** The machines of an app (empty when the app does not exist). */
    public JsonNode machines(String app) throws IOException, InterruptedException {
        return get("/v1/apps/" + app + "/machines");
    }

    private JsonNode send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fly.apiUrl() + path))
                .timeout(Duration.ofSeconds(70))
                .header("Authorization", "Bearer " + fly.token())
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        // Fly's limits are per action and machine (1/s, bursts of 3): a harness waits its turn like any client
        for (int retry = 0; response.statusCode() == 429 && retry < 20; retry++) {
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        if (response.statusCode() == 404) {
            return CloudEventRecords.JSON.createArrayNode();
        }
        if (response.statusCode() >= 300) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        String body = response.body();
        return body.isBlank() ? CloudEventRecords.JSON.createObjectNode() : CloudEventRecords.JSON.readTree(body);
    }
}
