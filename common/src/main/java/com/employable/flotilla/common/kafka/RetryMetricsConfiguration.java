package com.employable.flotilla.common.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Publishes {@value #RETRIES} and {@value #DEAD_LETTERS} (tagged {@code topic}) when Micrometer is present; it is optional for {@code common}, so
 * this lives apart from {@link FlotillaKafkaAutoConfiguration} (which imports it), as that must load without it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(MeterRegistry.class)
public class RetryMetricsConfiguration {

    /** Failed deliveries that will be retried: alert on a rate above zero that lasts (a held partition). */
    public static final String RETRIES = "flotilla.kafka.listener.retries";

    /** Records dead-lettered, by source topic: the rate at which a dead-letter topic grows. */
    public static final String DEAD_LETTERS = "flotilla.kafka.listener.dead.letters";

    @Bean
    DeadLetterCounter kafkaDeadLetterCounter(ObjectProvider<MeterRegistry> registry) {
        return topic -> registry.ifAvailable(meters -> Counter.builder(DEAD_LETTERS)
                .description("Records this service's listeners dead-lettered (contract violations), by source topic")
                .tag("topic", topic)
                .register(meters)
                .increment());
    }

    @Bean
    RetryCounter kafkaRetryCounter(ObjectProvider<MeterRegistry> registry) {
        return topic -> registry.ifAvailable(meters -> Counter.builder(RETRIES)
                .description(
                        "Kafka deliveries that failed for a reason other than a contract violation and will be retried")
                .tag("topic", topic)
                .register(meters)
                .increment());
    }
}
