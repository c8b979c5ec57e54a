/** Kafka listeners: one per consumed topic, each handing events to the discovery table in one line. */
package com.employable.flotilla.registry.messaging;
