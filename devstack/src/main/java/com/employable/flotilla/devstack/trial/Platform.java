package com.employable.flotilla.devstack.trial;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the trial reads from the platform's own APIs: a team's registry entry (with the team's agent token, as its
 * agents would) and the provisioner's audit of the Fly calls it made for the team (with the operator token).
 */
final class Platform {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TrialEnvironment env;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Platform(TrialEnvironment env) {
        this.env = env;
    }

    /** The registry's entry for the team, once it has one. */
    Optional<JsonNode> registryEntry(String team) throws InterruptedException {
        return get(
                env.registryUrl() + env.registryTeamPath().replace("{team}", team),
                env.agentToken().apply(team));
    }

    /** Whether the registry routes agents to it: ready, or idle (asleep by design, woken by a request). */
    static boolean routable(JsonNode entry) {
        String status = entry.path("status").asString("");
        return status.equalsIgnoreCase("ready") || status.equalsIgnoreCase("idle");
    }

    String gatewayUrl(String team) {
        return env.registryUrl() + env.gatewayPath().replace("{team}", team);
    }

    /** The provisioner's view of the team (status, attempts, last error), with the operator token. */
    Optional<JsonNode> provisionerTeam(String team) throws InterruptedException {
        return get(env.provisionerUrl() + "/v1/teams/" + team, env.operatorToken());
    }

    /** Every Fly call the provisioner made for the team (its audit), newest first; absent when unreachable. */
    Optional<JsonNode> flyCalls(String team) throws InterruptedException {
        return get(env.provisionerUrl() + "/v1/teams/" + team + "/fly-calls?limit=500", env.operatorToken());
    }

    /** The provisioner's Fly calls for the team: counted per endpoint, and every failure noted as an answer. */
    Map<String, Object> flyCallSummary(String team, FlyAnswers answers) throws InterruptedException {
        Map<String, Object> summary = new LinkedHashMap<>();
        var calls = flyCalls(team);
        if (calls.isEmpty()) {
            summary.put("unavailable", "the provisioner's /v1/teams/{team}/fly-calls did not answer");
            return summary;
        }
        Map<String, long[]> byEndpoint = new LinkedHashMap<>();
        int failed = 0;
        for (JsonNode call : calls.get()) {
            answers.called("provisioner");
            int status = call.path("status").asInt();
            String endpoint = call.path("endpoint").asString("?");
            long[] tally = byEndpoint.computeIfAbsent(endpoint, e -> new long[2]);
            tally[0]++;
            tally[1] += call.path("durationMs").asLong();
            if (status == 0 || status >= 400) {
                failed++;
                answers.answered(
                        "provisioner", endpoint, status, call.path("error").asString(""));
            }
        }
        summary.put("calls", calls.get().size());
        summary.put("failed", failed);
        Map<String, Object> endpoints = new LinkedHashMap<>();
        byEndpoint.forEach(
                (endpoint, tally) -> endpoints.put(endpoint, Map.of("calls", tally[0], "totalMs", tally[1])));
        summary.put("byEndpoint", endpoints);
        return summary;
    }

    private Optional<JsonNode> get(String url, String bearer) throws InterruptedException {
        try {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + bearer)
                            .header("Accept", "application/json")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 ? Optional.of(JSON.readTree(answer.body())) : Optional.empty();
        } catch (IOException | JacksonException e) {
            return Optional.empty();
        }
    }
}
