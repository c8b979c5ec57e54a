package com.employable.flotilla.common.cloudevents;

import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapping of events: what producers write is what consumers, employable and finance read. */
public final class EventJson {

    /**
     * Jackson 3 defaults already write RFC 3339 timestamps and ignore unknown properties; the contract also needs
     * primitives to be present rather than silently zero, and money written as plain decimals (never 5.7E-8).
     */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private EventJson() {}
}
