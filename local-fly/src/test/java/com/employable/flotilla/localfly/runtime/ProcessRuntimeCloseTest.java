package com.employable.flotilla.localfly.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.localfly.EchoServerMain;
import com.employable.flotilla.localfly.machines.MachineView;
import com.employable.flotilla.localfly.machines.RuntimeEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Closing the process runtime leaves no machine process behind, not even one whose halt was only just asked for. */
class ProcessRuntimeCloseTest {

    @TempDir
    Path dataDir;

    @Test
    void aHaltAskedForJustBeforeCloseStillEndsItsProcess() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = java + " -cp " + System.getProperty("java.class.path") + " " + EchoServerMain.class.getName();
        var runtime =
                new ProcessRuntime(new ImageMap("registry.fly.io/echo=" + command, Optional.empty(), java), dataDir);
        AtomicInteger port = new AtomicInteger();
        RuntimeEvents events = new RuntimeEvents() {
            @Override
            public void booted(String machineId, long generation, int booted) {
                port.set(booted);
            }

            @Override
            public void exited(String machineId, long generation, int exitCode) {}

            @Override
            public void halted(String machineId, long generation) {}
        };
        ObjectNode config =
                (ObjectNode) JsonMapper.builder().build().readTree("{\"image\":\"registry.fly.io/echo:1\"}");
        var machine = new MachineView(
                "m1",
                "app",
                "m1",
                "starting",
                "iad",
                "v1",
                "fdaa::2",
                Instant.now(),
                Instant.now(),
                config,
                List.of(),
                0);
        runtime.boot(events, machine, 1, Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> port.get() != 0);
        long pid;
        try (HttpClient http = HttpClient.newHttpClient()) {
            pid = Long.parseLong(http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.get() + "/pid"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
        }
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();

        // what local-fly's own shutdown does: halt every machine, then close the runtime
        runtime.halt(events, machine, 2, Duration.ofSeconds(3));
        runtime.close();

        assertThat(process.isAlive())
                .as("the machine's process outlived the runtime")
                .isFalse();
    }
}
