package com.employable.flotilla.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DerivedCredentialsTest {

    /** 32 bytes of 'k', base64. */
    private static final String KEY = "a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s=";

    /**
     * Expected values computed outside Java:
     * {@code printf 'flotilla/probe-token/v1:acme-sales' | openssl dgst -sha256 -mac HMAC -macopt hexkey:6b6b... -binary
     * | base64 | tr '+/' '-_' | tr -d '='}.
     */
    @Test
    void derivesTheValuesOfTheDocumentedFormula() {
        assertThat(DerivedCredentials.probeToken(KEY, "acme-sales"))
                .isEqualTo("fA2y-I2nP3Onsa6E0MZjh6c0a-h4mmUyWCKyalFqh7Y");
        assertThat(DerivedCredentials.teamTokenKey(KEY, "acme-sales"))
                .isEqualTo("4EIgcktrwiQhYr2ul2qDui1LKrPdptITf8biudA5ySw");
    }
}
