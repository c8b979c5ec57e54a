package com.employable.flotilla.devstack.dlt;

import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * What a dead letter shows an operator: never a secret. A dead letter may carry whatever its producer put in it (a
 * forwarded {@code Authorization} header, a token in a field, a connection string in an exception message), and
 * terminal output ends up in tickets and chat. Values under a secret-sounding name are hidden whole; anything that
 * looks like a credential is hidden wherever it appears; control characters are escaped so a record cannot rewrite
 * the operator's terminal.
 */
public final class Redaction {

    public static final String REDACTED = "[redacted]";

    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(token|secret|passw|pwd|authorization|api[-_]?key|credential|private[-_]?key|cookie|signature"
                    + "|bearer|session).*");

    private record Secret(Pattern pattern, String replacement) {}

    /** In this order; what a pattern keeps ({@code $1}) shows the kind of credential, never the credential. */
    private static final List<Secret> SECRET_VALUES = List.of(
            // a JWT (header.payload.signature, base64url)
            new Secret(Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*"), REDACTED),
            // an HTTP credential after its scheme
            new Secret(Pattern.compile("(?i)\\b(Bearer|Basic|FlyV1)\\s+[^\\s,;\"']+"), "$1 " + REDACTED),
            // a password in a URL or a key=value list
            new Secret(Pattern.compile("(?i)(password|passwd|pwd|secret|token)=[^&\\s;,\"']+"), "$1=" + REDACTED),
            new Secret(Pattern.compile("(://[^:/@\\s]+):[^@/\\s]+@"), "$1:" + REDACTED + "@"),
            // long opaque strings: keys, tokens, digests (a UUID or a traceparent has hyphens and stays)
            new Secret(Pattern.compile("[A-Za-z0-9+/_=]{40,}"), REDACTED));

    private Redaction() {}

    public static boolean secretName(String name) {
        return name != null && SECRET_NAME.matcher(name).matches();
    }

    /** A header's value as it may be shown. */
    public static String header(String name, String value) {
        return secretName(name) ? REDACTED : text(value);
    }

    /** Free text (a reason, a key, a value that is not JSON): credentials hidden, control characters escaped. */
    public static String text(String value) {
        return value == null ? "" : escapeControl(secrets(value), false);
    }

    /** Pretty-printed JSON from {@link #json}: its line breaks kept, any other control character escaped. */
    public static String printedJson(String printed) {
        return escapeControl(printed, true);
    }

    private static String secrets(String value) {
        String hidden = value;
        for (Secret secret : SECRET_VALUES) {
            hidden = secret.pattern().matcher(hidden).replaceAll(secret.replacement());
        }
        return hidden;
    }

    /** A copy of a JSON value with secret-named fields and credential-looking strings hidden. */
    public static JsonNode json(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = object.objectNode();
            for (var field : object.properties()) {
                copy.set(
                        field.getKey(),
                        secretName(field.getKey()) && !field.getValue().isNull()
                                ? StringNode.valueOf(REDACTED)
                                : json(field.getValue()));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = array.arrayNode();
            array.forEach(element -> copy.add(json(element)));
            return copy;
        }
        if (node.isString()) {
            return StringNode.valueOf(secrets(node.asString()));
        }
        return node;
    }

    /** Control and direction-changing characters as {@code \\uXXXX}, so one dead letter stays one honest line. */
    private static String escapeControl(String text, boolean keepLineBreaks) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (keepLineBreaks && c == '\n') {
                out.append('\n');
            } else if (Character.isISOControl(c)
                    || c == 0x2028
                    || c == 0x2029
                    || c == 0x200E
                    || c == 0x200F
                    || (c >= 0x202A && c <= 0x202E)) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
