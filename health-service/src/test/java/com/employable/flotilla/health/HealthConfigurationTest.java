package com.employable.flotilla.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.health.probe.FlyChecksProbe;
import com.employable.flotilla.health.probe.FlyChecksProperties;
import com.employable.flotilla.health.probe.ProbeProperties;
import com.employable.flotilla.health.probe.StreamableHttpProbe;
import com.employable.flotilla.health.support.ProbeKeys;
import com.employable.flotilla.health.targets.TargetsProperties;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Which probe the service runs: the address mode decides, and {@code fly-checks} does not start without a token. */
class HealthConfigurationTest {

    private final ExecutorService threads = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private static <T> T bind(String prefix, Class<T> type, Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate(prefix, type);
    }

    private Object prober(String address, String flyToken) {
        return new HealthConfiguration()
                .prober(
                        threads,
                        ProbeKeys.SERVICE,
                        bind("flotilla.health.probe", ProbeProperties.class, Map.of()),
                        bind(
                                "flotilla.health.targets",
                                TargetsProperties.class,
                                Map.of("flotilla.health.targets.address", address)),
                        bind(
                                "flotilla.health.fly",
                                FlyChecksProperties.class,
                                Map.of("flotilla.health.fly.token", flyToken)),
                        Clock.systemUTC());
    }

    @Test
    void flyChecksModeReadsMachineChecksAndTheOtherModesSpeakMcpToTheMachine() {
        assertThat(prober("fly-checks", "FlyV1 fm2_read-only")).isInstanceOf(FlyChecksProbe.class);
        assertThat(prober("machine", "")).isInstanceOf(StreamableHttpProbe.class);
        assertThat(prober("public", "")).isInstanceOf(StreamableHttpProbe.class);
    }

    @Test
    void flyChecksModeRefusesToStartWithoutAFlyToken() {
        assertThatThrownBy(() -> prober("fly-checks", " "))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("FLY_API_TOKEN")
                .hasMessageContaining("fly-checks");
        FlyChecksProperties configured = bind(
                "flotilla.health.fly", FlyChecksProperties.class, Map.of("flotilla.health.fly.token", "secret-token"));
        assertThat(configured.toString()).doesNotContain("secret-token");
        assertThat(configured.apiUrl()).hasToString("https://api.machines.dev");
        assertThat(configured.check()).isEqualTo("mcp");
    }
}
