package com.employable.flotilla.common.kafka;

/** Counts records dead-lettered, by source topic: a rate above zero is a dead-letter topic growing. */
@FunctionalInterface
interface DeadLetterCounter {

    void deadLettered(String topic);
}
