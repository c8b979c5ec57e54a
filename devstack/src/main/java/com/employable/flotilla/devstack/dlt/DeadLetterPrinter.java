package com.employable.flotilla.devstack.dlt;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** How dead letters look on an operator's terminal: every value through {@link Redaction}. */
final class DeadLetterPrinter {

    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private static final int REASON_WIDTH = 200;

    private final PrintStream out;

    DeadLetterPrinter(PrintStream out) {
        this.out = out;
    }

    void listHeader() {
        out.printf(
                "%-40s %-12s %-24s %-24s %-34s %-36s %-28s %s%n",
                "TOPIC", "PART/OFFSET", "DEAD-LETTERED", "TEAM", "CE_TYPE", "CE_ID", "CONSUMER GROUP", "REASON");
    }

    void line(DeadLetter letter) {
        String reason = Redaction.text(letter.reason());
        out.printf(
                "%-40s %-12s %-24s %-24s %-34s %-36s %-28s %s%n",
                Redaction.text(letter.topic()),
                letter.partition() + "/" + letter.offset(),
                letter.time(),
                letter.key() == null ? "-" : Redaction.text(letter.key()),
                letter.ceType().map(Redaction::text).orElse("-"),
                letter.ceId().map(Redaction::text).orElse("-"),
                letter.consumerGroup().map(Redaction::text).orElse("-"),
                reason.length() > REASON_WIDTH ? reason.substring(0, REASON_WIDTH) + "…" : reason);
    }

    void full(DeadLetter letter) {
        out.println(letter.ref());
        out.printf("  dead-lettered  %s%n", letter.time());
        out.printf("  team (key)     %s%n", letter.key() == null ? "-" : Redaction.text(letter.key()));
        out.printf("  reason         %s%n", Redaction.text(letter.reason()));
        out.printf(
                "  original       %s %s%s%n",
                letter.originalTopic(),
                letter.originalPosition().orElse("?"),
                letter.consumerGroup()
                        .map(g -> " (failed in consumer group " + Redaction.text(g) + ")")
                        .orElse(""));
        if (letter.originalTopicHeaderDisagrees()) {
            out.println("  warning        its original-topic header names another topic: replay refuses it");
        }
        out.println("headers:");
        for (DeadLetter.Header h : letter.headers()) {
            out.printf("  %s: %s%n", Redaction.text(h.name()), Redaction.header(h.name(), h.text()));
        }
        byte[] value = letter.value();
        if (value == null) {
            out.println("value: null (a tombstone)");
            return;
        }
        JsonNode json = parse(value);
        if (json != null) {
            out.println("value (JSON):");
            out.println(Redaction.printedJson(JSON.writeValueAsString(Redaction.json(json))));
        } else {
            out.printf("value (not JSON, %d bytes):%n", value.length);
            out.println(Redaction.text(new String(value, StandardCharsets.UTF_8)));
        }
    }

    /** The value as JSON, or null when it is not JSON (a contract violation may be anything). */
    private static JsonNode parse(byte[] value) {
        try {
            JsonNode json = JSON.readTree(value);
            return json == null || json.isMissingNode() ? null : json;
        } catch (JacksonException notJson) {
            return null;
        }
    }
}
