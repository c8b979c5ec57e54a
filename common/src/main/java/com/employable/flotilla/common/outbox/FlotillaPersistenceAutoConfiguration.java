package com.employable.flotilla.common.outbox;

import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.idempotency.AppliedEvents;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.api.Location;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The idempotent consumer and the transactional outbox for any service with a database, plus the common Flyway
 * migrations ({@code classpath:db/flotilla-common}, versions below 1) that create their tables in the service's own
 * schema.
 */
@AutoConfiguration(
        after = {
            DataSourceAutoConfiguration.class,
            DataSourceTransactionManagerAutoConfiguration.class,
            JdbcClientAutoConfiguration.class,
            KafkaAutoConfiguration.class
        })
@ConditionalOnClass({JdbcClient.class, KafkaOperations.class})
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(OutboxProperties.class)
@Import(OutboxMetricsConfiguration.class)
public class FlotillaPersistenceAutoConfiguration {

    public static final String COMMON_MIGRATIONS = "classpath:db/flotilla-common";

    @Bean
    @ConditionalOnMissingBean
    AppliedEvents appliedEvents(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        return new AppliedEvents(jdbc, new TransactionTemplate(transactionManager));
    }

    @Bean
    @ConditionalOnMissingBean
    @SuppressWarnings("unchecked")
    OutboxRelay outboxRelay(
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager,
            KafkaOperations<?, ?> kafka,
            AppliedEvents appliedEvents,
            OutboxProperties properties,
            ObjectProvider<OutboxMetricsConfiguration.OutboxDeadLetterCounter> deadLetterCounter) {
        OutboxMetricsConfiguration.OutboxDeadLetterCounter counter =
                deadLetterCounter.getIfAvailable(() -> topic -> {});
        return new OutboxRelay(
                jdbc,
                new TransactionTemplate(transactionManager),
                (KafkaOperations<String, byte[]>) kafka,
                appliedEvents,
                properties,
                counter::deadLettered) {
            @Override
            public boolean isAutoStartup() {
                return properties.enabled();
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    Outbox outbox(JdbcClient jdbc, CloudEventCodec codec, ObjectProvider<OutboxRelay> relay) {
        return new Outbox(jdbc, codec, () -> relay.ifAvailable(OutboxRelay::wake));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.flywaydb.core.Flyway")
    @ConditionalOnProperty(name = "spring.flyway.enabled", matchIfMissing = true)
    static class CommonMigrations {

        @Bean
        FlywayConfigurationCustomizer flotillaCommonMigrations() {
            return configuration -> {
                List<Location> locations = new ArrayList<>(Arrays.asList(configuration.getLocations()));
                Location common = new Location(COMMON_MIGRATIONS);
                if (!locations.contains(common)) {
                    locations.add(common);
                }
                configuration.locations(locations.toArray(Location[]::new));
                // common's migrations are numbered below every service's own (0.x): a new one must still apply
                // to a database whose service migrations are already past it
                configuration.outOfOrder(true);
            };
        }
    }
}
