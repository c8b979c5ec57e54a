package com.employable.flotilla.common.testsupport;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Stops the shared broker and database when the test plan ends, before the JVM starts deleting temporary
 * directories (stopping from a shutdown hook races that and fills the log with checkpoint errors).
 */
public class TestInfrastructureShutdown implements TestExecutionListener {

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        try {
            TestKafka.stop();
            TestPostgres.stop();
        } catch (Exception failure) {
            throw new IllegalStateException("could not stop test infrastructure", failure);
        }
    }
}
