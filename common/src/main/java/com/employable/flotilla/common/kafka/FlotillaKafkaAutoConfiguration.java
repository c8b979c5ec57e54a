package com.employable.flotilla.common.kafka;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.events.Topic;
import com.employable.flotilla.common.events.Topics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.support.converter.RecordMessageConverter;

/**
 * Flotilla's Kafka conventions for every service, layered on Spring Boot's Kafka auto-configuration: records are
 * String keys (team ids) and JSON bytes; producers are idempotent with {@code acks=all}; listeners get
 * {@link com.employable.flotilla.common.cloudevents.EventEnvelope}s and commit after each record; a record that breaks
 * the contract is dead-lettered, any other failure is retried until it succeeds (see {@link DeadLetters}); topics a service names are created with their dead-letter topics.
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@ConditionalOnClass(KafkaOperations.class)
@EnableConfigurationProperties(FlotillaKafkaProperties.class)
@Import(RetryMetricsConfiguration.class)
public class FlotillaKafkaAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CloudEventCodec cloudEventCodec(FlotillaKafkaProperties properties) {
        return new CloudEventCodec(properties.source());
    }

    @Bean
    DefaultKafkaProducerFactoryCustomizer flotillaProducerConventions() {
        return factory -> {
            factory.updateConfigs(Map.of(
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    true,
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class));
        };
    }

    @Bean
    DefaultKafkaConsumerFactoryCustomizer flotillaConsumerConventions() {
        return factory -> factory.updateConfigs(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
    }

    @Bean
    @ConditionalOnMissingBean(RecordMessageConverter.class)
    CloudEventMessageConverter cloudEventMessageConverter() {
        return new CloudEventMessageConverter();
    }

    @Bean
    @ConditionalOnMissingBean(CommonErrorHandler.class)
    CommonErrorHandler deadLetteringErrorHandler(
            KafkaOperations<?, ?> template,
            FlotillaKafkaProperties properties,
            ObjectProvider<RetryCounter> retryCounter,
            ObjectProvider<DeadLetterCounter> deadLetterCounter) {
        RetryCounter counter = retryCounter.getIfAvailable(() -> topic -> {});
        DeadLetterCounter deadLetters = deadLetterCounter.getIfAvailable(() -> topic -> {});
        return DeadLetters.errorHandler(
                template,
                properties.retry(),
                new StuckRecords(Clock.systemUTC(), counter::failedDelivery),
                deadLetters::deadLettered);
    }

    /** At-least-once: the offset is committed only after the listener (and its transaction) returned. */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> recordAckContainers() {
        return container -> container.getContainerProperties().setAckMode(ContainerProperties.AckMode.RECORD);
    }

    @Bean
    KafkaAdmin.NewTopics flotillaTopics(FlotillaKafkaProperties properties) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : properties.topics()) {
            Topic<?> topic = Topics.byName(name)
                    .orElseThrow(
                            () -> new IllegalArgumentException("flotilla.kafka.topics names unknown topic " + name));
            int partitions = properties.partitions().getOrDefault(name, topic.partitions());
            topics.add(newTopic(topic.name(), partitions, properties, topic));
            topics.add(newTopic(topic.deadLetterTopic(), partitions, properties, null));
        }
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    private static NewTopic newTopic(
            String name, int partitions, FlotillaKafkaProperties properties, Topic<?> declared) {
        TopicBuilder builder = TopicBuilder.name(name).partitions(partitions);
        if (properties.replicas() != null) {
            builder.replicas(properties.replicas());
        }
        if (declared != null && declared.compacted()) {
            builder.compact();
        }
        var retention = properties.retention().get(name);
        if (retention == null && declared != null && declared.retention() != null) {
            retention = declared.retention();
        }
        if (retention == null && declared == null) {
            // dead letters wait for an operator: keep them as long as the longest-lived event topic
            retention = java.time.Duration.ofDays(30);
        }
        if (retention != null) {
            builder.config(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention.toMillis()));
        }
        return builder.build();
    }
}
