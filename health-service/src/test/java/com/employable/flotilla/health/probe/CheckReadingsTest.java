package com.employable.flotilla.health.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.events.health.FailureKind;
import com.employable.flotilla.health.targets.ProbeTarget;
import com.employable.flotilla.health.targets.TargetKey;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** How a machine's {@code mcp} check, as the Machines API lists it, becomes a probe result. */
class CheckReadingsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String MACHINE = "148e21ea7d0589";

    private static final ProbeTarget TARGET = new ProbeTarget(
            new TargetKey("acme", MACHINE),
            URI.create("https://api.machines.dev/v1/apps/flotilla-team-acme/machines/" + MACHINE),
            1,
            false,
            "flotilla-team-acme");

    private static final Instant STARTED = Instant.parse("2026-11-30T10:00:00Z");

    private final CheckReadings readings = new CheckReadings("mcp");

    private static ArrayNode listing(String state, String status, String output, Instant updatedAt) {
        ObjectNode machine = JSON.createObjectNode();
        machine.put("id", MACHINE);
        machine.put("state", state);
        machine.putObject("config").putObject("checks").putObject("mcp").put("interval", "3s");
        machine.putArray("events")
                .add(JSON.createObjectNode()
                        .put("type", "start")
                        .put("status", "started")
                        .put("timestamp", STARTED.toEpochMilli()));
        machine.putArray("checks")
                .add(JSON.createObjectNode().put("name", "healthz").put("status", "passing"))
                .add(JSON.createObjectNode()
                        .put("name", "mcp")
                        .put("status", status)
                        .put("output", output)
                        .put("updated_at", updatedAt.toString()));
        return JSON.createArrayNode().add(machine);
    }

    private ProbeResult read(JsonNode machines, Instant listedAt) {
        return readings.read(TARGET, machines, listedAt, listedAt);
    }

    private static final String PASSING =
            "HTTP GET http://[fdaa:0:1::2]:8080/healthz/mcp: 200 Output: MCP ok: initialize"
                    + " + tools/list: 6 tools, protocol 2025-11-25, in 7 ms";

    @Test
    void aPassingCheckIsASuccessWithWhatTheSelfCheckReported() {
        ProbeResult result =
                read(listing("started", "passing", PASSING, STARTED.plusSeconds(3)), STARTED.plusSeconds(9));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.latencyMs()).isEqualTo(7);
        assertThat(result.toolCount()).isEqualTo(6);
        assertThat(result.protocolVersion()).isEqualTo("2025-11-25");
    }

    @Test
    void aCriticalCheckIsAFailureWhoseDetailIsItsOutputOnOneCleanLine() {
        String output = "HTTP GET http://[fdaa:0:1::2]:8080/healthz/mcp: 503 Output: MCP self-check failed (protocol):"
                + " tools/list: JSON-RPC error -32603: registry down\r\nFORGED log line \u001b[31m\u202e Bearer abcdefghijkl";

        ProbeResult result =
                read(listing("started", "critical", output, STARTED.plusSeconds(9)), STARTED.plusSeconds(10));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.conclusive()).isTrue();
        assertThat(result.failure().kind()).isEqualTo(FailureKind.PROTOCOL);
        assertThat(result.failure().detail())
                .isEqualTo("mcp check critical: MCP self-check failed (protocol): tools/list: JSON-RPC error -32603:"
                        + " registry down FORGED log line  [31m  Bearer ***");
    }

    @Test
    void flydsOwnFailuresAreClassifiedByTheirWords() {
        ProbeResult refused = read(
                listing(
                        "started",
                        "critical",
                        "HTTP GET http://[fdaa::2]:8080/healthz/mcp: connection refused",
                        STARTED),
                STARTED.plusSeconds(5));
        assertThat(refused.failure().kind()).isEqualTo(FailureKind.CONNECT);
        assertThat(refused.failure().detail())
                .isEqualTo("mcp check critical: HTTP GET http://[fdaa::2]:8080/healthz/mcp: connection refused");

        var other = new CheckReadings("mcp");
        ProbeResult hung = other.read(
                TARGET,
                listing(
                        "started",
                        "critical",
                        "HTTP GET http://[fdaa::2]:8080/healthz/mcp: timed out after 5000ms",
                        STARTED),
                STARTED.plusSeconds(5),
                STARTED.plusSeconds(5));
        assertThat(hung.failure().kind()).isEqualTo(FailureKind.TIMEOUT);
    }

    @Test
    void aWarningOrACheckFromBeforeTheStartSaysNothing() {
        assertThat(read(listing("started", "warning", "waiting for the first run", STARTED), STARTED.plusSeconds(1))
                        .inconclusive())
                .isEqualTo("the 'mcp' check is warning: waiting for the first run");

        ProbeResult stale = read(
                listing("started", "critical", "connection refused", STARTED.minusSeconds(60)), STARTED.plusSeconds(1));
        assertThat(stale.conclusive()).isFalse();
        assertThat(stale.inconclusive()).isEqualTo("the 'mcp' check has not reported since the machine started");
    }

    @Test
    void aMachineNotStartedOrWithoutTheCheckSaysNothing() {
        assertThat(read(listing("stopped", "passing", PASSING, STARTED), STARTED.plusSeconds(9))
                        .inconclusive())
                .isEqualTo("the machine is not started according to the Machines API");
        assertThat(read(JSON.createArrayNode(), STARTED).inconclusive())
                .isEqualTo("the machine is not started according to the Machines API");

        ArrayNode withoutCheck = listing("started", "passing", PASSING, STARTED);
        ((ArrayNode) withoutCheck.get(0).get("checks")).remove(1);
        assertThat(read(withoutCheck, STARTED).inconclusive()).isEqualTo("the machine reports no 'mcp' check");
    }

    @Test
    void oneRunOfTheCheckCountsOnceHoweverOftenItIsRead() {
        String broken = "MCP self-check failed (protocol): tools/list: JSON-RPC error -32603: down";
        ArrayNode machines = listing("started", "critical", broken, STARTED.plusSeconds(5));
        Instant first = STARTED.plusSeconds(10);

        assertThat(read(machines, first).conclusive()).isTrue();
        // the same listing again (probes of one app share it), or a new one before flyd can have run the check again
        assertThat(read(machines, first).inconclusive()).isEqualTo("no new run of the 'mcp' check since the last poll");
        assertThat(read(machines, first.plus(Duration.ofMillis(2000))).conclusive())
                .isFalse();
        // a check interval (3 s) later flyd has run it again, whatever it said
        assertThat(read(machines, first.plus(Duration.ofMillis(2800))).conclusive())
                .isTrue();
        // and anything that differs is a new run at once
        assertThat(read(listing("started", "passing", PASSING, first), first.plus(Duration.ofMillis(2900)))
                        .succeeded())
                .isTrue();
    }
}
