package com.employable.flotilla.devstack.trial;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The few Fly Machines API calls the trial makes itself, the same against local-fly and api.machines.dev: list a
 * team's machines, stop or suspend one, start it, wait for a state, and see whether an app still exists. A rate limit
 * (429) or a lease held by the provisioner (409) is waited out briefly; every answer that is not a success is noted
 * in {@link FlyAnswers}.
 */
public final class MachinesApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ATTEMPTS = 10;

    /**
     * Fly limits waits per machine to 1/s with bursts of 3 (fly-machines-api.md): after this long without one, the
     * machine's whole burst is available again.
     */
    static final Duration WAIT_BUDGET_REFILL = Duration.ofSeconds(3);

    private final String apiUrl;
    private final String token;
    private final FlyAnswers answers;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Instant> lastWait = new ConcurrentHashMap<>();
    private final Map<String, Integer> waitsThrottled = new ConcurrentHashMap<>();

    public MachinesApi(String apiUrl, String token, FlyAnswers answers) {
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.token = token;
        this.answers = answers;
    }

    /** The ids of the app's machines that are not destroyed. */
    public List<String> machines(String app) throws InterruptedException {
        return machineDetails(app).stream().map(m -> m.path("id").asString()).toList();
    }

    /** The app's machines that are not destroyed, as Fly describes them (state, config with its metadata). */
    public List<JsonNode> machineDetails(String app) throws InterruptedException {
        JsonNode list = call("machines.list", "GET", "/v1/apps/" + seg(app) + "/machines", 200);
        List<JsonNode> machines = new ArrayList<>();
        list.forEach(m -> {
            if (!"destroyed".equals(m.path("state").asString())) {
                machines.add(m);
            }
        });
        return machines;
    }

    /** The names of the org's apps. */
    public List<String> apps(String org) throws InterruptedException {
        JsonNode list = call("apps.list", "GET", "/v1/apps?org_slug=" + seg(org), 200);
        List<String> names = new ArrayList<>();
        list.path("apps").forEach(app -> names.add(app.path("name").asString()));
        return names;
    }

    /** Deletes the app with its machines (Fly answers 202; an app already gone counts as deleted). */
    public void deleteApp(String app) throws InterruptedException {
        HttpResponse<String> answer = send("apps.delete", "DELETE", "/v1/apps/" + seg(app) + "?force=true");
        if (answer.statusCode() / 100 != 2 && answer.statusCode() != 404) {
            throw new FlyCallFailed("apps.delete", answer.statusCode(), answer.body());
        }
    }

    public String state(String app, String machine) throws InterruptedException {
        return machine(app, machine).path("state").asString();
    }

    public void stop(String app, String machine) throws InterruptedException {
        call("machines.stop", "POST", machinePath(app, machine) + "/stop", 200);
    }

    public void suspend(String app, String machine) throws InterruptedException {
        call("machines.suspend", "POST", machinePath(app, machine) + "/suspend", 200);
    }

    public void start(String app, String machine) throws InterruptedException {
        call("machines.start", "POST", machinePath(app, machine) + "/start", 200);
    }

    /** Waits (Fly's wait endpoint, up to 60 s per call) until the machine is in {@code state}. */
    public void await(String app, String machine, String state, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        // Fly wants the instance when waiting for stopped
        String instance = machine(app, machine).path("instance_id").asString("");
        while (true) {
            long seconds = Math.max(
                    1, Math.min(60, Duration.between(Instant.now(), deadline).toSeconds()));
            String query = "?state=" + state + "&timeout=" + seconds
                    + (instance.isEmpty() ? "" : "&instance_id=" + seg(instance));
            lastWait.put(machine, Instant.now());
            HttpResponse<String> answer = send("machines.wait", "GET", machinePath(app, machine) + "/wait" + query);
            if (answer.statusCode() == 200) {
                return;
            }
            if (answer.statusCode() == 429) {
                waitsThrottled.merge(machine, 1, Integer::sum);
            }
            boolean again = answer.statusCode() == 408 || answer.statusCode() == 429;
            if (!again || Instant.now().isAfter(deadline)) {
                throw new FlyCallFailed("machines.wait", answer.statusCode(), answer.body());
            }
            if (answer.statusCode() == 429) {
                // waits are limited per machine (1/s, bursts of 3) like every action but Get Machine
                Thread.sleep(1000);
            }
        }
    }

    /**
     * Returns once the machine's wait budget is whole again, so that a timed wait is not throttled by the trial's own
     * waits before it (a 429 would add its back-off to the figure).
     */
    public void restoreWaitBudget(String machine) throws InterruptedException {
        Instant last = lastWait.get(machine);
        if (last != null) {
            long millis = Duration.between(Instant.now(), last.plus(WAIT_BUDGET_REFILL))
                    .toMillis();
            if (millis > 0) {
                Thread.sleep(millis);
            }
        }
    }

    /** How many of the trial's waits on the machine so far were answered 429. */
    public int waitsThrottled(String machine) {
        return waitsThrottled.getOrDefault(machine, 0);
    }

    /** Whether the app still exists (Fly answers 404 once it is deleted). */
    public boolean appExists(String app) throws InterruptedException {
        HttpResponse<String> answer = send("apps.show", "GET", "/v1/apps/" + seg(app));
        if (answer.statusCode() == 404) {
            return false;
        }
        if (answer.statusCode() / 100 != 2) {
            throw new FlyCallFailed("apps.show", answer.statusCode(), answer.body());
        }
        return true;
    }

    private JsonNode machine(String app, String machine) throws InterruptedException {
        return call("machines.show", "GET", machinePath(app, machine), 200);
    }

    /** One call, a 429 or a 409 (the provisioner's lease) retried after a second, at most {@value #ATTEMPTS} times. */
    private JsonNode call(String endpoint, String method, String path, int expected) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> answer = send(endpoint, method, path);
            if (answer.statusCode() == expected) {
                try {
                    return answer.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(answer.body());
                } catch (JacksonException e) {
                    throw new FlyCallFailed(endpoint, answer.statusCode(), "unparsable answer");
                }
            }
            boolean transient_ = answer.statusCode() == 429 || answer.statusCode() == 409;
            if (!transient_ || attempt == ATTEMPTS) {
                throw new FlyCallFailed(endpoint, answer.statusCode(), answer.body());
            }
            Thread.sleep(1000);
        }
    }

    private HttpResponse<String> send(String endpoint, String method, String path) throws InterruptedException {
        answers.called("trial");
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + path))
                .timeout(Duration.ofSeconds(75))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .method(
                        method,
                        method.equals("POST")
                                ? HttpRequest.BodyPublishers.ofString("{}")
                                : HttpRequest.BodyPublishers.noBody())
                .header("Content-Type", "application/json")
                .build();
        try {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            boolean gone =
                    answer.statusCode() == 404 && (endpoint.equals("apps.show") || endpoint.equals("apps.delete"));
            if (answer.statusCode() / 100 != 2 && !gone) {
                answers.answered("trial", endpoint, answer.statusCode(), error(answer.body()));
            }
            return answer;
        } catch (IOException e) {
            answers.answered("trial", endpoint, 0, e.getClass().getSimpleName());
            throw new FlyCallFailed(endpoint, 0, e.getClass().getSimpleName());
        }
    }

    /** Fly's {@code {"error": ...}}, one line, bounded; the body otherwise. */
    static String error(String body) {
        String text = body;
        try {
            JsonNode node = JSON.readTree(body);
            if (node.path("error").isString()) {
                text = node.path("error").asString()
                        + (node.path("status").isString()
                                ? " (" + node.path("status").asString() + ")"
                                : "");
            }
        } catch (JacksonException notJson) {
            // keep the text
        }
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static String machinePath(String app, String machine) {
        return "/v1/apps/" + seg(app) + "/machines/" + seg(machine);
    }

    private static String seg(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A Fly call that did not succeed; its message names the call and Fly's error, never the token. */
    public static final class FlyCallFailed extends RuntimeException {
        FlyCallFailed(String endpoint, int status, String body) {
            super(endpoint + " answered " + (status == 0 ? "nothing (" + body + ")" : status + ": " + error(body)));
        }
    }
}
