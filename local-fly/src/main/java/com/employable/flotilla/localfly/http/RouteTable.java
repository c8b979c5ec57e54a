package com.employable.flotilla.localfly.http;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Routes matched in the order they were added: the first whose method and path match handles the request. A path
 * that some route matches with another method is {@link MethodNotAllowed}; a path no route matches is
 * {@link NotFound}. The caller decides how each is answered.
 */
public final class RouteTable {

    /** What a lookup found. */
    public sealed interface Lookup permits Found, MethodNotAllowed, NotFound {}

    public record Found(Route route, Map<String, String> params) implements Lookup {}

    public record MethodNotAllowed(Set<String> allowed) implements Lookup {}

    public record NotFound() implements Lookup {}

    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** @param path the request path's segments, decoded */
    public Lookup find(String method, List<String> path) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Optional<Map<String, String>> params = route.path().match(path);
            if (params.isEmpty()) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Found(route, params.get());
            }
            allowed.add(route.method());
        }
        return allowed.isEmpty() ? new NotFound() : new MethodNotAllowed(allowed);
    }

    public static final class Builder {

        private final List<Route> routes = new ArrayList<>();

        public Builder get(String path, Handler handler) {
            return add("GET", path, handler);
        }

        public Builder post(String path, Handler handler) {
            return add("POST", path, handler);
        }

        public Builder delete(String path, Handler handler) {
            return add("DELETE", path, handler);
        }

        public Builder add(String method, String path, Handler handler) {
            routes.add(new Route(method, PathPattern.of(path), handler));
            return this;
        }

        public RouteTable build() {
            return new RouteTable(routes);
        }
    }
}
