package com.employable.flotilla.common.operator;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call a service's internal API: operators and platform tooling holding the operator token.
 *
 * @param token the operator token ({@code FLOTILLA_OPERATOR_TOKEN}), at least 32 characters
 * @param previousToken also accepted while clients move to a new token ({@code FLOTILLA_OPERATOR_TOKEN_PREVIOUS})
 * @param protectedPaths servlet URL patterns that need the token, e.g. {@code /v1/*}; none leaves the service's HTTP
 * API to its own authentication (the registry's agents)
 */
@ConfigurationProperties("flotilla.operator")
public record OperatorProperties(
        String token, String previousToken, @DefaultValue List<String> protectedPaths) {

    public OperatorProperties {
        protectedPaths = protectedPaths == null ? List.of() : List.copyOf(protectedPaths);
    }

    @Override
    public String toString() {
        return "OperatorProperties[protectedPaths=" + protectedPaths + "]";
    }
}
