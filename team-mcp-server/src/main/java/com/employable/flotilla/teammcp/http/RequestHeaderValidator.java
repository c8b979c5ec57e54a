package com.employable.flotilla.teammcp.http;

import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HeaderAccessor;
import io.modelcontextprotocol.server.transport.ServerHttpHeaderValidator;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityValidator;
import io.modelcontextprotocol.spec.HttpHeaders;
import java.util.List;
import java.util.Set;

/**
 * Validates every MCP request's headers before the SDK handles it: Origin and Host against the allow-lists
 * (DNS-rebinding protection, 403 / 421), then {@code MCP-Protocol-Version}. SDK 2.1.0 accepts any protocol version
 * header, but the transport spec says an unsupported one MUST get 400.
 */
public final class RequestHeaderValidator implements ServerHttpHeaderValidator {

    /** "*" in an allow-list turns that check off (for deployments behind a proxy that rewrites Host). */
    public static final String ANY = "*";

    private static final int MAX_ECHOED_VERSION_LENGTH = 40;

    private final ServerHttpHeaderValidator originAndHost;
    private final boolean checkOrigin;
    private final Set<String> supportedVersions;

    public RequestHeaderValidator(
            List<String> allowedHosts, List<String> allowedOrigins, List<String> supportedVersions) {
        var builder = DefaultServerTransportSecurityValidator.builder();
        if (!allowedHosts.contains(ANY)) {
            builder.allowedHosts(allowedHosts);
        }
        this.checkOrigin = !allowedOrigins.contains(ANY);
        if (checkOrigin) {
            builder.allowedOrigins(allowedOrigins);
        }
        this.originAndHost = ServerTransportSecurityValidator.toHttpHeaderValidator(builder.build());
        this.supportedVersions = Set.copyOf(supportedVersions);
    }

    @Override
    public void validate(HeaderAccessor headers) throws ServerTransportSecurityException {
        originAndHost.validate(checkOrigin ? headers : withoutOrigin(headers));
        List<String> versions = headers.getHeader(HttpHeaders.PROTOCOL_VERSION);
        if (versions == null) {
            return;
        }
        for (String version : versions) {
            if (!supportedVersions.contains(version.trim())) {
                throw new ServerTransportSecurityException(
                        400,
                        "Unsupported MCP-Protocol-Version: "
                                + printable(version) + " (supported: "
                                + String.join(
                                        ", ",
                                        supportedVersions.stream().sorted().toList()) + ")");
            }
        }
    }

    private static HeaderAccessor withoutOrigin(HeaderAccessor headers) {
        return new HeaderAccessor() {
            @Override
            public List<String> getHeader(String name) {
                return "origin".equalsIgnoreCase(name) ? null : headers.getHeader(name);
            }

            @Override
            public List<String> getHeaderNames() {
                return headers.getHeaderNames().stream()
                        .filter(name -> !"origin".equalsIgnoreCase(name))
                        .toList();
            }
        };
    }

    /** The header value is echoed in the error, so it is cut short and stripped of anything unprintable. */
    private static String printable(String value) {
        String cleaned = value.replaceAll("[^\\x20-\\x7E]", "?");
        return cleaned.length() > MAX_ECHOED_VERSION_LENGTH
                ? cleaned.substring(0, MAX_ECHOED_VERSION_LENGTH) + "..."
                : cleaned;
    }
}
