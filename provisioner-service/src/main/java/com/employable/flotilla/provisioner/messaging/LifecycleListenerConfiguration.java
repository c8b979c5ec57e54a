package com.employable.flotilla.provisioner.messaging;

import com.employable.flotilla.provisioner.ownership.LifecycleRebalance;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties.AckMode;

/**
 * The team lifecycle listener's containers: the service's Kafka conventions (Spring Boot's configurer, the shared
 * dead-lettering error handler and container customizer), plus the rebalance listener through which partition
 * assignment decides which teams this instance owns. A batch listener: a poll's records are recorded in one
 * transaction, and its offsets committed once that transaction has (at least once, as with a commit per record).
 * (Spring Boot also hands a lone rebalance listener bean to every other container, such as the health listener's; it
 * ignores partitions of other topics.)
 */
@Configuration(proxyBeanMethods = false)
class LifecycleListenerConfiguration {

    static final String FACTORY = "teamLifecycleContainerFactory";

    @Bean(FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> teamLifecycleContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer,
            ConsumerFactory<Object, Object> consumerFactory,
            ObjectProvider<ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>>>
                    customizer,
            LifecycleRebalance rebalance) {
        var factory = new ConcurrentKafkaListenerContainerFactory<Object, Object>();
        configurer.configure(factory, consumerFactory);
        factory.setBatchListener(true);
        var conventions = customizer.getIfUnique();
        factory.setContainerCustomizer(container -> {
            if (conventions != null) {
                conventions.configure(container);
            }
            // the conventions commit per record, which a batch listener cannot: per poll, after its transaction
            container.getContainerProperties().setAckMode(AckMode.BATCH);
        });
        factory.getContainerProperties().setConsumerRebalanceListener(rebalance);
        return factory;
    }
}
