package com.employable.flotilla.localfly;

import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Raw HTTP against local-fly with OkHttp, exactly as against Fly: the base URL is the only difference. */
final class FlyClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final MediaType TYPE = MediaType.get("application/json");

    private final OkHttpClient http =
            new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(90)).build();
    private final String baseUrl;
    private final String token;

    FlyClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    record Reply(int status, JsonNode body) {
        String error() {
            return body == null ? null : body.path("error").asString(null);
        }
    }

    Reply get(String path) {
        return send("GET", path, null, null);
    }

    Reply post(String path, String json) {
        return send("POST", path, json, null);
    }

    Reply delete(String path) {
        return send("DELETE", path, null, null);
    }

    Reply send(String method, String path, String json, String nonce) {
        var request = new Request.Builder().url(baseUrl + path);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (nonce != null) {
            request.header("fly-machine-lease-nonce", nonce);
        }
        RequestBody body = json == null
                ? ("POST".equals(method) ? RequestBody.create(new byte[0], TYPE) : null)
                : RequestBody.create(json, TYPE);
        request.method(method, body);
        try (Response response = http.newCall(request.build()).execute()) {
            String text = response.body().string();
            return new Reply(response.code(), text.isEmpty() ? null : JSON.readTree(text));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
