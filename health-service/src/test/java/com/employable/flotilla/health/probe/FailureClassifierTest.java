package com.employable.flotilla.health.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.events.health.FailureKind;
import com.employable.flotilla.common.events.health.ProbeFailure;
import org.junit.jupiter.api.Test;

/** What may leave the probe as a failure's detail: events, the API and log lines all show it. */
class FailureClassifierTest {

    @Test
    void everyKindOfControlCharacterBecomesASpaceAndNothingElseChanges() {
        String hostile =
                "a\r\nb\u0000c\u007fd\u0085e\u009bf\u2028g\u2029h\u202ei\u2066j\u200bk\u001b[31ml\uFEFFm\uD800n";

        String detail = FailureClassifier.safe(new ProbeFailure(FailureKind.PROTOCOL, hostile), "token-never-sent")
                .detail();

        assertThat(detail).isEqualTo("a b c d e f g h i j k [31ml m n");
        assertThat(detail.chars())
                .noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
    }

    @Test
    void lettersOfEveryScriptAndCharactersBeyondTheBasicPlaneStay() {
        String text = "état: ошибка 错误 😀 ok";

        assertThat(FailureClassifier.safe(new ProbeFailure(FailureKind.HTTP, text), null)
                        .detail())
                .isEqualTo(text);
    }

    @Test
    void aCutNeverSplitsACharacterBeyondTheBasicPlane() {
        String text = "x".repeat(FailureClassifier.MAX_DETAIL - 1) + "😀tail";

        String detail = FailureClassifier.safe(new ProbeFailure(FailureKind.PROTOCOL, text), null)
                .detail();

        assertThat(detail).isEqualTo("x".repeat(FailureClassifier.MAX_DETAIL - 1) + "...");
    }

    @Test
    void aDetailOfNothingButControlCharactersSaysSo() {
        assertThat(FailureClassifier.safe(new ProbeFailure(FailureKind.PROTOCOL, "\r\n\u0000"), null)
                        .detail())
                .isEqualTo("(no detail)");
    }
}
