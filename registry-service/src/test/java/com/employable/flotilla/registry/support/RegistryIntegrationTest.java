package com.employable.flotilla.registry.support;

import com.employable.flotilla.common.testsupport.FlotillaTestProperties;
import com.employable.flotilla.registry.RegistryApplication;
import java.util.Base64;
import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one Spring context every integration test of this module shares (same configuration, so it starts once): a
 * real Kafka broker, a real PostgreSQL, HS256 employable tokens, the gateway in proxy mode with short waits and
 * small per-team caps, and team endpoints derived to {@link TeamFront}.
 */
@SpringBootTest(
        classes = RegistryApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "flotilla.registry.auth.hs256-secret=" + TestTokens.SECRET,
            "flotilla.registry.auth.issuer=" + TestTokens.ISSUER,
            "flotilla.registry.auth.audience=" + TestTokens.AUDIENCE,
            "flotilla.registry.gateway.key=" + RegistryIntegrationTest.GATEWAY_KEY,
            "flotilla.registry.gateway.wake-timeout=4s",
            "flotilla.registry.gateway.retry-after=3s",
            "flotilla.registry.gateway.response-timeout=20s",
            "flotilla.registry.gateway.max-request-size=64KB",
            "flotilla.registry.gateway.allowed-origins=https://app.employable.test",
            "flotilla.registry.gateway.body-read-timeout=" + RegistryIntegrationTest.BODY_READ_TIMEOUT,
            "flotilla.registry.gateway.max-requests-per-team=" + RegistryIntegrationTest.MAX_REQUESTS_PER_TEAM,
            "flotilla.registry.gateway.max-streams-per-team=2",
            "flotilla.kafka.retry.initial-interval=20ms"
        })
public abstract class RegistryIntegrationTest {

    /** A test gateway key (base64 of 32 bytes), the kind FLOTILLA_GATEWAY_KEY holds. */
    public static final String GATEWAY_KEY = "ZmxvdGlsbGEtdGVzdC1nYXRld2F5LWtleS0zMi1ieXRlcyE=";

    public static final String BODY_READ_TIMEOUT = "2s";

    public static final int MAX_REQUESTS_PER_TEAM = 4;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        FlotillaTestProperties.register(registry, "registry_it");
        registry.add("flotilla.teams.endpoint-url-template", TeamFront::endpointUrlTemplate);
    }

    public static byte[] gatewayKey() {
        return Base64.getDecoder().decode(GATEWAY_KEY);
    }

    /** A team id no other test uses (the broker is shared by every test class of the JVM). */
    public static String newTeam(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
