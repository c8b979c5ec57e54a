package com.employable.flotilla.health.publish;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How transitions are written, under {@code flotilla.health.publish}.
 *
 * @param batchSize transitions written per database transaction
 * @param maxBackOff the longest wait between attempts while the database is unavailable
 */
@ConfigurationProperties("flotilla.health.publish")
public record PublishProperties(
        @DefaultValue("200") int batchSize,
        @DefaultValue("5s") Duration maxBackOff) {

    public PublishProperties {
        if (batchSize < 1) {
            throw new IllegalArgumentException("flotilla.health.publish.batch-size must be at least 1");
        }
        if (maxBackOff == null || maxBackOff.toMillis() < 10) {
            throw new IllegalArgumentException("flotilla.health.publish.max-back-off must be at least 10ms");
        }
    }
}
