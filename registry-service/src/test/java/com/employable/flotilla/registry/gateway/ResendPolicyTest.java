package com.employable.flotilla.registry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ResendPolicyTest {

    @Test
    void aPostOrPatchIsNeverResentAfterTheServerOrItsProxyAnswered() {
        assertThat(ResendPolicy.mayResendAfterAnswer("POST")).isFalse();
        assertThat(ResendPolicy.mayResendAfterAnswer("PATCH")).isFalse();
        assertThat(ResendPolicy.mayResendAfterAnswer("GET")).isTrue();
        assertThat(ResendPolicy.mayResendAfterAnswer("DELETE")).isTrue();
    }

    @Test
    void onlyBadGatewayUnavailableAndGatewayTimeoutAreUpstreamFailures() {
        assertThat(ResendPolicy.upstreamFailed(502)).isTrue();
        assertThat(ResendPolicy.upstreamFailed(503)).isTrue();
        assertThat(ResendPolicy.upstreamFailed(504)).isTrue();
        assertThat(ResendPolicy.upstreamFailed(500)).isFalse();
        assertThat(ResendPolicy.upstreamFailed(404)).isFalse();
    }

    @Test
    void onlyAConnectionNeverMadeProvesTheRequestNeverReachedTheServer() {
        assertThat(ResendPolicy.neverReachedServer(new IOException("wrapped", new ConnectException("refused"))))
                .isTrue();
        assertThat(ResendPolicy.neverReachedServer(new HttpConnectTimeoutException("no connection")))
                .isTrue();
        assertThat(ResendPolicy.neverReachedServer(new HttpTimeoutException("no answer")))
                .isFalse();
        assertThat(ResendPolicy.neverReachedServer(new IOException("connection reset")))
                .isFalse();
    }

    @Test
    void theBackOffDoublesUpToASecondAndNeverPassesTheDeadline() {
        long ms = 1_000_000;
        assertThat(ResendPolicy.backoffNanos(1, 10_000 * ms)).isEqualTo(100 * ms);
        assertThat(ResendPolicy.backoffNanos(2, 10_000 * ms)).isEqualTo(200 * ms);
        assertThat(ResendPolicy.backoffNanos(4, 10_000 * ms)).isEqualTo(800 * ms);
        assertThat(ResendPolicy.backoffNanos(5, 10_000 * ms)).isEqualTo(1_000 * ms);
        assertThat(ResendPolicy.backoffNanos(60, 10_000 * ms)).isEqualTo(1_000 * ms);
        assertThat(ResendPolicy.backoffNanos(5, 30 * ms)).isEqualTo(30 * ms);
    }

    @Test
    void theCauseIsFoundBehindCompletionWrappers() {
        var refused = new ConnectException("refused");
        assertThat(ResendPolicy.unwrap(new CompletionException(new CompletionException(refused))))
                .isSameAs(refused);
    }
}
