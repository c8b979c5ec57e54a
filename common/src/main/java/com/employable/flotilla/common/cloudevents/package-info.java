/**
 * CloudEvents 1.0 over Kafka, written by hand rather than with the CloudEvents Java SDK: the SDK's JSON format binds
 * to Jackson 2 while Boot 4 and the MCP SDK use Jackson 3, and the mapping is a handful of headers. Producers write
 * binary mode ({@code ce_*} headers, the event as the value); consumers read binary and structured mode.
 */
package com.employable.flotilla.common.cloudevents;
