package com.employable.flotilla.common.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The transactional outbox and its relay, under {@code flotilla.outbox}.
 *
 * @param enabled whether the relay runs in this process
 * @param batchSize rows relayed per transaction
 * @param pollInterval how often the relay looks for rows nobody woke it for (other instances, a crash before relay)
 * @param sendTimeout how long the relay waits for Kafka to acknowledge a batch
 * @param retention how long published rows are kept for inspection
 * @param appliedEventRetention how long applied event ids are kept; longer than any consumed topic's retention
 */
@ConfigurationProperties("flotilla.outbox")
public record OutboxProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("500") int batchSize,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("10s") Duration sendTimeout,
        @DefaultValue("1d") Duration retention,
        @DefaultValue("35d") Duration appliedEventRetention) {}
