package com.employable.flotilla.teammcp;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/**
 * The image's training run (`--train`) must hold a whole MCP conversation through the auth gate: if it broke, the
 * image build would archive a server that never served a request, and every wake would pay for it.
 */
class TrainingRunIT {

    @Test
    void theTrainingConversationSucceedsAgainstARealServer() {
        assertThatCode(TrainingRun::run).doesNotThrowAnyException();
    }
}
