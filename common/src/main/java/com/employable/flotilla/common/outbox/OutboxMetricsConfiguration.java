package com.employable.flotilla.common.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Publishes {@value #DEAD_LETTERED} (tagged {@code topic}) when Micrometer is present; it is optional for
 * {@code common}, so this lives apart from {@link FlotillaPersistenceAutoConfiguration} (which imports it).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(MeterRegistry.class)
public class OutboxMetricsConfiguration {

    /** Outbox rows Kafka refused for good, moved to flotilla_outbox_dead_letter: alert on any increase. */
    public static final String DEAD_LETTERED = "flotilla.outbox.dead-lettered";

    @Bean
    OutboxDeadLetterCounter outboxDeadLetterCounter(ObjectProvider<MeterRegistry> registry) {
        return topic -> registry.ifAvailable(meters -> Counter.builder(DEAD_LETTERED)
                .description("Outbox rows Kafka refused for good (too large, invalid topic), moved to "
                        + "flotilla_outbox_dead_letter")
                .tag("topic", topic)
                .register(meters)
                .increment());
    }

    /** Counts outbox rows moved to the dead-letter table, by topic. */
    @FunctionalInterface
    interface OutboxDeadLetterCounter {
        void deadLettered(String topic);
    }
}
