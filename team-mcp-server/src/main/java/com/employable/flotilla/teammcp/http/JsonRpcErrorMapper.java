package com.employable.flotilla.teammcp.http;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Works around modelcontextprotocol/java-sdk#955: the SDK's transport serialises a thrown {@link McpError} as a
 * Java exception (stack trace, cause, class names) into the HTTP body. Every other value goes to the SDK's own mapper
 * unchanged; an {@code McpError} becomes the JSON-RPC error object it stands for.
 */
public final class JsonRpcErrorMapper implements McpJsonMapper {

    private final McpJsonMapper delegate;

    public JsonRpcErrorMapper(McpJsonMapper delegate) {
        this.delegate = delegate;
    }

    @Override
    public String writeValueAsString(Object value) throws IOException {
        if (value instanceof McpError error) {
            return new String(errorEnvelope(error), StandardCharsets.UTF_8);
        }
        return delegate.writeValueAsString(value);
    }

    @Override
    public byte[] writeValueAsBytes(Object value) throws IOException {
        if (value instanceof McpError error) {
            return errorEnvelope(error);
        }
        return delegate.writeValueAsBytes(value);
    }

    private byte[] errorEnvelope(McpError error) throws IOException {
        var rpcError = error.getJsonRpcError();
        var body = new LinkedHashMap<String, Object>();
        body.put("code", rpcError == null || rpcError.code() == null ? ErrorBodies.INTERNAL_ERROR : rpcError.code());
        body.put("message", rpcError == null || rpcError.message() == null ? "Internal error" : rpcError.message());
        if (rpcError != null && isPlainJson(rpcError.data())) {
            body.put("data", rpcError.data());
        }
        return delegate.writeValueAsBytes(Map.of("jsonrpc", "2.0", "error", body));
    }

    /** Only plain JSON values go out as error data: never an exception or another Java object graph. */
    private static boolean isPlainJson(Object data) {
        return data instanceof String
                || data instanceof Number
                || data instanceof Boolean
                || data instanceof Map<?, ?>
                || data instanceof List<?>;
    }

    @Override
    public <T> T readValue(String content, Class<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, Class<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(String content, TypeRef<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, TypeRef<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T convertValue(Object fromValue, Class<T> type) {
        return delegate.convertValue(fromValue, type);
    }

    @Override
    public <T> T convertValue(Object fromValue, TypeRef<T> type) {
        return delegate.convertValue(fromValue, type);
    }
}
