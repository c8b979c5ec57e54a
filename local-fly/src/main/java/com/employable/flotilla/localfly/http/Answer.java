package com.employable.flotilla.localfly.http;

import tools.jackson.databind.JsonNode;

/** @param body null for an answer without a body (204) */
public record Answer(int status, JsonNode body) {

    public static Answer ok(JsonNode body) {
        return new Answer(200, body);
    }
}
