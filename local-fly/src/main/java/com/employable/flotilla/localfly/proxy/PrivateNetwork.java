package com.employable.flotilla.localfly.proxy;

import com.employable.flotilla.localfly.machines.MachineAddress;
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
 * suspended, starting, unknown) is an address that does not resolve: the connection is closed without an HTTP answer
 * (a client sees no connection, as it would on Fly, never an HTTP error a server could have sent), with the reason in
 * local-fly's log.
 */
public final class PrivateNetwork implements HttpHandler {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PrivateNetwork.class);

    /** The path prefix; Fly app names cannot start with an underscore, so no app's proxy path collides with it. */
    public static final String PREFIX = "/_6pn/";

    private final Machines machines;
    private final Forwarder forwarder;
    private final ProxyFaults faults;

    public PrivateNetwork(Machines machines, Forwarder forwarder, ProxyFaults faults) {
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
            Optional<MachineAddress> found = machines.address(machineId)
                    .filter(machine -> machine.appName().equals(app));
            if (found.isEmpty()) {
                unresolvable(name, "no such machine");
                return;
            }
            MachineAddress machine = found.get();
            if (!"started".equals(machine.state())) {
                unresolvable(
                        name, "the machine is " + machine.state() + ", and has a private address only while started");
                return;
            }
            if (machine.port() == 0) {
                SimulatedServer.answer(exchange, machine.id());
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            String path = "/" + (parts.length > 2 ? parts[2] : "") + (query == null ? "" : "?" + query);
            forwarder.forward(exchange, machine.port(), path, machine.id(), Map.of(), Map.of());
        }
    }

    /** Closing the exchange before any answer closes the connection: what a name that does not resolve leaves. */
    private static void unresolvable(String name, String why) {
        log.debug("{} does not resolve: {}", name, why);
    }
}
