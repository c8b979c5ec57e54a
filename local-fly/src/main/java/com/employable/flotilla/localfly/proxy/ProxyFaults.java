package com.employable.flotilla.localfly.proxy;

import com.employable.flotilla.localfly.faults.Faults;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Faults in the path to the machines, for a server that breaks while it runs: the admin API's fault rules whose path
 * matches {@code /_proxy} + the request's path (so {@code /_proxy/(_6pn/)?<app>/.*} breaks one app's server, reached
 * through the proxy or the private network, and the Machines API's rules never apply here). A {@code status} rule
 * answers that status in JSON as a failing server would; a {@code latency} rule delays the request.
 */
public final class ProxyFaults {

    public static final String PREFIX = "/_proxy";

    private final Faults faults;

    public ProxyFaults(Faults faults) {
        this.faults = faults;
    }

    /** @return whether a fault answered the request (nothing else may then) */
    boolean injected(HttpExchange exchange) throws IOException {
        Optional<Faults.Injection> fault = faults.match(
                exchange.getRequestMethod(), PREFIX + exchange.getRequestURI().getRawPath());
        if (fault.isEmpty()) {
            return false;
        }
        Faults.Injection injection = fault.get();
        if ("latency".equals(injection.kind())) {
            LockSupport.parkNanos(Duration.ofMillis(injection.latencyMs()).toNanos());
            return false;
        }
        Forwarder.fail(exchange, injection.status() == 0 ? 500 : injection.status(), "injected fault");
        return true;
    }
}
