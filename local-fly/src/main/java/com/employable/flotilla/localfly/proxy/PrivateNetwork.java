package com.employable.flotilla.localfly.proxy;

import com.employable.flotilla.localfly.machines.MachineView;
import com.employable.flotilla.localfly.machines.Machines;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Fly's private network (6PN) straight to one machine, as {@code http://<machine>.vm.<app>.internal:<port>/<path>}
 * reaches it on Fly: {@code /_6pn/<app>/<machine>/<path>} on the proxy port goes to {@code /<path>} on that machine,
 * streamed like the proxy. Fly Proxy is not in this path, so nothing here counts as activity for autostop and nothing
 * here starts a machine. Fly's {@code .internal} DNS answers for started machines only, so any other machine (stopped,
 * suspended, starting, unknown) is an address that does not resolve: 502 in JSON, saying why.
 */
public final class PrivateNetwork implements HttpHandler {

    /** The path prefix; Fly app names cannot start with an underscore, so no app's proxy path collides with it. */
    public static final String PREFIX = "/_6pn/";

    private final Machines machines;
    private final Forwarder forwarder;

    public PrivateNetwork(Machines machines, Forwarder forwarder) {
        this.machines = machines;
        this.forwarder = forwarder;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI()
                    .getRawPath()
                    .substring(PREFIX.length())
                    .split("/", 3);
            if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                Forwarder.fail(exchange, 400, "use " + PREFIX + "<app>/<machine id>/<path>");
                return;
            }
            String app = parts[0];
            String machineId = parts[1];
            String name = machineId + ".vm." + app + ".internal";
            Optional<MachineView> found =
                    machines.find(machineId).filter(machine -> machine.appName().equals(app));
            if (found.isEmpty()) {
                Forwarder.fail(exchange, 502, name + " does not resolve: no such machine");
                return;
            }
            MachineView machine = found.get();
            if (!"started".equals(machine.state())) {
                Forwarder.fail(
                        exchange,
                        502,
                        name + " does not resolve: the machine is " + machine.state()
                                + ", and a machine has a private address only while started");
                return;
            }
            if (machine.port() == 0) {
                Forwarder.fail(exchange, 502, name + " has no process to reach (simulated runtime)");
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            String path = "/" + (parts.length > 2 ? parts[2] : "") + (query == null ? "" : "?" + query);
            forwarder.forward(exchange, machine.port(), path, machine.id(), Map.of(), Map.of());
        }
    }
}
