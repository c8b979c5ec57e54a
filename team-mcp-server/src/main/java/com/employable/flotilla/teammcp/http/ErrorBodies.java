package com.employable.flotilla.teammcp.http;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Error bodies the server writes itself. On the MCP endpoint clients parse JSON-RPC, so errors there are JSON-RPC
 * error objects (MCP transport spec: "optionally with a JSON-RPC error that has no id"); every other path answers
 * with RFC 9457 problem details. Neither ever carries a stack trace or exception class.
 */
public final class ErrorBodies {

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int INTERNAL_ERROR = -32603;
    /** Server-defined JSON-RPC codes (the -32000..-32099 range) for HTTP auth outcomes. */
    public static final int UNAUTHORIZED = -32001;

    public static final int FORBIDDEN = -32003;

    // the SDK's mapper too: one set of serializers to build on a woken machine's first request, not one per class
    private static final JsonMapper JSON = JsonMapper.shared();

    private ErrorBodies() {}

    /** A JSON-RPC error for an HTTP status, as the transport writes it when no request id is known. */
    public static int jsonRpcCodeFor(int status) {
        return switch (status) {
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 500, 502, 503, 504 -> INTERNAL_ERROR;
            default -> INVALID_REQUEST;
        };
    }

    public static byte[] jsonRpcError(Object id, int code, String message) {
        var error = new LinkedHashMap<String, Object>();
        error.put("code", code);
        error.put("message", message);
        var body = new LinkedHashMap<String, Object>();
        body.put("jsonrpc", "2.0");
        if (id != null) {
            body.put("id", id);
        }
        body.put("error", error);
        return JSON.writeValueAsBytes(body);
    }

    public static void writeJsonRpcError(HttpServletResponse response, int status, Object id, int code, String message)
            throws IOException {
        write(response, status, "application/json", jsonRpcError(id, code, message));
    }

    public static void writeProblem(HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        write(response, status, "application/problem+json", problem(status, title, detail));
    }

    /** An RFC 9457 problem document; {@code detail} is left out when null. */
    public static byte[] problem(int status, String title, String detail) {
        var problem = new LinkedHashMap<String, Object>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        if (detail != null) {
            problem.put("detail", detail);
        }
        return JSON.writeValueAsBytes(problem);
    }

    public static void writeJson(HttpServletResponse response, int status, Map<String, ?> body) throws IOException {
        write(response, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void write(HttpServletResponse response, int status, String contentType, byte[] body)
            throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
        } catch (IllegalStateException writerAlreadyUsed) {
            // the SDK writes through getWriter(); an error after that must use the same channel
            response.getWriter().write(new String(body, StandardCharsets.UTF_8));
        }
        response.flushBuffer();
    }

    /** Standard reason phrases, so a bare status still gets a readable message. */
    public static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 421 -> "Misdirected Request";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Request Error";
        };
    }
}
