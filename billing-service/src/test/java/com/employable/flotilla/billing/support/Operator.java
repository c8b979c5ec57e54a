package com.employable.flotilla.billing.support;

import java.net.URI;
import java.net.http.HttpRequest;

/** The operator token the tests configure (flotilla.operator.token), and requests that carry it. */
public final class Operator {

    /** As a test property: {@code @SpringBootTest(properties = Operator.TOKEN_PROPERTY)}. */
    public static final String TOKEN_PROPERTY = "flotilla.operator.token=billing-test-operator-token-0123456789abcdef";

    public static final String TOKEN = TOKEN_PROPERTY.substring(TOKEN_PROPERTY.indexOf('=') + 1);

    private Operator() {}

    /** A GET of the service's API with the operator token. */
    public static HttpRequest get(int port, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .header("Authorization", "Bearer " + TOKEN)
                .build();
    }
}
