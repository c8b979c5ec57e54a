package com.employable.flotilla.common.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OperatorTokenTest {

    private static final String TOKEN = "operator-token-of-at-least-32-characters";

    private static final String PREVIOUS = "previous-operator-token-32-characters-long";

    @Test
    void admitsTheCurrentAndThePreviousTokenOnly() {
        var token = new OperatorToken(TOKEN, PREVIOUS);

        assertThat(token.admits("Bearer " + TOKEN)).isTrue();
        assertThat(token.admits("bearer " + PREVIOUS)).isTrue();
        assertThat(token.admits("Bearer " + TOKEN + "x")).isFalse();
        assertThat(token.admits(TOKEN)).isFalse();
        assertThat(token.admits("Basic " + TOKEN)).isFalse();
        assertThat(token.admits("Bearer ")).isFalse();
        assertThat(token.admits(null)).isFalse();
    }

    @Test
    void refusesAMissingOrShortTokenAndNeverPrintsOne() {
        assertThatThrownBy(() -> new OperatorToken(null, null)).hasMessageContaining("FLOTILLA_OPERATOR_TOKEN");
        assertThatThrownBy(() -> new OperatorToken("short", null)).hasMessageContaining("at least 32");
        assertThat(new OperatorToken(TOKEN, null).toString()).doesNotContain(TOKEN);
        assertThat(new OperatorProperties(TOKEN, PREVIOUS, null).toString()).doesNotContain(TOKEN, PREVIOUS);
    }
}
