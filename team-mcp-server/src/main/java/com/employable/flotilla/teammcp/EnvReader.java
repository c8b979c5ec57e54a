package com.employable.flotilla.teammcp;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads variables and collects every problem, so one failed start tells the operator everything. */
final class EnvReader {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    EnvReader(Map<String, String> env) {
        this.env = env;
    }

    Optional<String> optional(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    List<String> list(String name) {
        return optional(name)
                .map(value -> Arrays.stream(value.split(","))
                        .map(String::trim)
                        .filter(item -> !item.isEmpty())
                        .toList())
                .orElse(List.of());
    }

    int port(String name, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(name + " must be a port number (0-65535)");
        return ServerConfig.DEFAULT_PORT;
    }

    boolean bool(String name, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> {
                problem(name + " must be true or false");
                yield false;
            }
        };
    }

    Optional<URI> httpUri(String name, String value) {
        try {
            URI uri = new URI(value);
            if (uri.getHost() != null && ServerConfig.isHttpUrl(value) && uri.getFragment() == null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        problem(name + " must be an absolute http(s) URL without a fragment");
        return Optional.empty();
    }

    /** A previous value only makes sense next to a current one (a rotation replaces, it never only retires). */
    void requireWith(String previous, String current) {
        if (optional(previous).isPresent() && optional(current).isEmpty()) {
            problem(previous + " is set but " + current + " is not");
        }
    }

    void problem(String problem) {
        problems.add(problem);
    }

    void throwIfProblems() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
