package com.employable.flotilla.health.support;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.employable.flotilla.common.testsupport.FlotillaTestProperties;

/**
 * The one Spring context every IT of this module shares (same configuration, so it starts once per test JVM): the
 * real service on the shared broker and a database of its own, probing every 300 ms with short timeouts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "flotilla.health.schedule.interval=300ms", "flotilla.health.probe.connect-timeout=500ms",
                "flotilla.health.probe.initialize-timeout=700ms", "flotilla.health.probe.request-timeout=700ms",
                "flotilla.health.probe.close-timeout=500ms", "flotilla.health.verdict.slow-threshold=400ms",
                "flotilla.outbox.poll-interval=100ms" })
public abstract class HealthServiceContext {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        FlotillaTestProperties.register(registry, "health_it");
        registry.add("flotilla.health.probe-key", () -> ProbeKeys.SERVICE_KEY_BASE64);
    }
}
