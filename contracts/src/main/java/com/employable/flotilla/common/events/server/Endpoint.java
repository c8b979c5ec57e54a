package com.employable.flotilla.common.events.server;

import com.employable.flotilla.common.events.Require;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a team's MCP server answers.
 *
 * @param url public URL of the MCP endpoint (e.g. {@code https://flotilla-acme.fly.dev/mcp})
 * @param privateUrl URL inside the team's private network (Flycast), optional
 * @param transport MCP transport, {@code streamable-http}
 * @param protocolVersion MCP protocol version the server speaks, optional (the registry adds it)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Endpoint(
        @JsonProperty(value = "url", required = true) String url,
        @JsonProperty("privateUrl") String privateUrl,
        @JsonProperty(value = "transport", required = true) String transport,
        @JsonProperty("protocolVersion") String protocolVersion) {

    public static final String STREAMABLE_HTTP = "streamable-http";

    public Endpoint {
        Require.text(url, "endpoint.url");
        Require.text(transport, "endpoint.transport");
    }
}
