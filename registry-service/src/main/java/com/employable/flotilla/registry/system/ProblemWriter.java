package com.employable.flotilla.registry.system;

import com.employable.flotilla.common.cloudevents.EventJson;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/** Writes problems outside Spring MVC (the gateway and the lookup fast path are servlet filters). */
public final class ProblemWriter {

    private ProblemWriter() {}

    public static void write(HttpServletResponse response, ProblemException problem, String path) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(problem.status().value());
        problem.headers().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setHeader("Cache-Control", "no-store");
        ProblemDetail detail = problem.toProblemDetail(URI.create(path));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", detail.getType().toString());
        body.put("title", detail.getTitle());
        body.put("status", detail.getStatus());
        body.put("detail", detail.getDetail());
        body.put("instance", detail.getInstance().toString());
        if (detail.getProperties() != null) {
            body.putAll(detail.getProperties());
        }
        byte[] json = EventJson.MAPPER.writeValueAsBytes(body);
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
        response.flushBuffer();
    }
}
