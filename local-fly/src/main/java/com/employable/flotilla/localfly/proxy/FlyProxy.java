package com.employable.flotilla.localfly.proxy;

import com.employable.flotilla.localfly.error.FlyError;
import com.employable.flotilla.localfly.machines.MachineAddress;
import com.employable.flotilla.localfly.machines.MachineView;
import com.employable.flotilla.localfly.machines.Machines;
import com.employable.flotilla.localfly.machines.ProxyPolicy;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Fly's proxy does for an app, on loopback: {@code /<app>/<path>} goes to {@code /<path>} on a started machine
 * of that app (the one named by {@code fly-force-instance-id}, else any), responses stream through unbuffered (SSE),
 * and when every machine is stopped or suspended and the service allows autostart, one is started and the request
 * waits for it. Each answer carries {@code fly-machine-id}. With no machine able to serve: 503 in JSON. A request
 * here is what autostop counts as activity, from when it is routed until its answer ends ({@code /_6pn/...}, the
 * private network, is not served here and never counts).
 */
public final class FlyProxy implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(FlyProxy.class);
    private static final Duration WAKE_TIMEOUT = Duration.ofSeconds(60);

    private final Machines machines;
    private final Forwarder forwarder;
    private final ProxyFaults faults;

    public FlyProxy(Machines machines, Forwarder forwarder, ProxyFaults faults) {
        this.machines = machines;
        this.forwarder = forwarder;
        this.faults = faults;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (faults.injected(exchange)) {
                return;
            }
            String raw = exchange.getRequestURI().getRawPath();
            String[] parts = raw.substring(1).split("/", 2);
            String app = parts[0];
            String rest = "/" + (parts.length > 1 ? parts[1] : "");
            String query = exchange.getRequestURI().getRawQuery();
            Optional<MachineAddress> target;
            try {
                target = choose(app, exchange.getRequestHeaders().getFirst("fly-force-instance-id"));
            } catch (FlyError e) {
                Forwarder.fail(exchange, e.httpStatus(), e.getMessage());
                return;
            }
            if (target.isEmpty()) {
                Forwarder.fail(exchange, 503, "no machine of " + app + " can serve this request");
                return;
            }
            MachineAddress machine = target.get();
            try (var activity = machines.autostop().requestStarted(machine.id())) {
                if (machine.port() == 0) {
                    exchange.getResponseHeaders().set("fly-machine-id", machine.id());
                    SimulatedServer.answer(exchange, machine.id());
                    return;
                }
                forwarder.forward(
                        exchange,
                        machine.port(),
                        rest + (query == null ? "" : "?" + query),
                        machine.id(),
                        Map.of(
                                "Fly-Forwarded-Port",
                                Integer.toString(exchange.getLocalAddress().getPort())),
                        Map.of("fly-machine-id", machine.id()));
            }
        }
    }

    private Optional<MachineAddress> choose(String app, String forced) {
        List<MachineAddress> started = machines.startedAddresses(app);
        if (forced != null) {
            Optional<MachineAddress> pinned =
                    started.stream().filter(m -> m.id().equals(forced)).findFirst();
            if (pinned.isPresent()) {
                return pinned;
            }
            return wake(app, forced);
        }
        if (!started.isEmpty()) {
            return Optional.of(started.get(Math.floorMod(System.nanoTime(), started.size())));
        }
        return wake(app, null);
    }

    /** Autostart: start a stopped or suspended machine whose service allows it, then wait for it. */
    private Optional<MachineAddress> wake(String app, String preferred) {
        List<String> candidates = machines
                .list(
                        app,
                        false,
                        machine -> (preferred == null || machine.id().equals(preferred))
                                && Set.of("stopped", "suspended", "starting", "created")
                                        .contains(machine.state())
                                && ProxyPolicy.of(machine.config()).autostart())
                .stream()
                .map(MachineView::id)
                .toList();
        for (String id : candidates) {
            try {
                if (!"starting".equals(machines.view(app, id, false).state())) {
                    machines.actions().start(app, id, null);
                }
            } catch (FlyError e) {
                // leased or changed meanwhile: try the next one
                continue;
            }
            try {
                machines.waitFor(app, id, Set.of("started"), WAKE_TIMEOUT);
                return machines.address(id);
            } catch (FlyError e) {
                log.warn("Machine {} of {} did not wake: {}", id, app, e.getMessage());
            }
        }
        return Optional.empty();
    }
}
