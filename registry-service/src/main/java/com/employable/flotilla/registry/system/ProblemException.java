package com.employable.flotilla.registry.system;

import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * An RFC 9457 problem to answer with, and the headers that go with it ({@code WWW-Authenticate},
 * {@code Retry-After}). Details are written for the caller and never carry secrets or stack traces.
 */
public class ProblemException extends RuntimeException {

    /** Problem types are tag URIs (RFC 4151): stable identifiers, listed in the README, that need no web server. */
    public static final String TYPE_PREFIX = "tag:flotilla.employable.com,2026:problem/";

    private final HttpStatus status;

    private final String slug;

    private final String title;

    private final HttpHeaders headers;

    private final Map<String, Object> properties;

    public ProblemException(HttpStatus status, String slug, String title, String detail) {
        this(status, slug, title, detail, new HttpHeaders(), Map.of());
    }

    public ProblemException(
            HttpStatus status,
            String slug,
            String title,
            String detail,
            HttpHeaders headers,
            Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.headers = headers;
        this.properties = Map.copyOf(properties);
    }

    public HttpStatus status() {
        return status;
    }

    public HttpHeaders headers() {
        return headers;
    }

    public ProblemDetail toProblemDetail(URI instance) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, getMessage());
        problem.setType(URI.create(TYPE_PREFIX + slug));
        problem.setTitle(title);
        problem.setInstance(instance);
        properties.forEach(problem::setProperty);
        return problem;
    }

    /** Problems are answers, not errors of this service: no stack trace is worth filling in. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
