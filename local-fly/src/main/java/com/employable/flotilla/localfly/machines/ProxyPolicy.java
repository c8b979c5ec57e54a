package com.employable.flotilla.localfly.machines;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * What Fly's proxy may do with a machine, read from its first service in the Machines API's own field names
 * ({@code config.services[].autostop}, {@code autostart}, {@code min_machines_running}; reference §1.4 and Fly's
 * OpenAPI spec). {@code autostop} is {@code off|stop|suspend} or, from older configs, a boolean (true is stop).
 * Unset, autostop is off and autostart on, as Fly's proxy treats a service without them.
 *
 * <p>fly.toml spells them {@code auto_stop_machines}/{@code auto_start_machines}; the Machines API has no such fields
 * and ignores them (as it ignores any unknown field), so local-fly does too, and says so once in its log.
 *
 * @param autostop   {@code off}, {@code stop} or {@code suspend}
 * @param autostart  whether a request may start a stopped or suspended machine
 * @param minRunning machines the proxy keeps started (per app here; per primary region on Fly)
 */
public record ProxyPolicy(String autostop, boolean autostart, int minRunning) {

    private static final Logger log = LoggerFactory.getLogger(ProxyPolicy.class);
    private static final Map<String, String> NOT_API_FIELDS = Map.of(
            "autostop_machines", "autostop",
            "autostart_machines", "autostart",
            "auto_stop_machines", "autostop",
            "auto_start_machines", "autostart");
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    public static ProxyPolicy of(JsonNode machineConfig) {
        JsonNode service = machineConfig.path("services").path(0);
        NOT_API_FIELDS.forEach((field, apiField) -> {
            if (service.has(field) && WARNED.add(field)) {
                log.warn(
                        "config.services[].{} is not a Machines API field: Fly ignores it, and so does local-fly"
                                + " (the API's field is {})",
                        field,
                        apiField);
            }
        });
        return new ProxyPolicy(
                autostopMode(service.path("autostop")),
                service.path("autostart").asBoolean(true),
                Math.max(0, service.path("min_machines_running").asInt(0)));
    }

    static String autostopMode(JsonNode value) {
        if (value.isBoolean()) {
            return value.asBoolean() ? "stop" : "off";
        }
        String mode = value.isString() ? value.asString() : "off";
        return Set.of("stop", "suspend").contains(mode) ? mode : "off";
    }

    public boolean stopsIdle() {
        return !"off".equals(autostop);
    }
}
