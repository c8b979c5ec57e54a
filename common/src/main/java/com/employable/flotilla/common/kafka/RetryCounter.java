package com.employable.flotilla.common.kafka;

/** Counts deliveries that failed and will be retried, by topic: a rate above zero is a partition held by a failure. */
@FunctionalInterface
interface RetryCounter {

    void failedDelivery(String topic);
}
