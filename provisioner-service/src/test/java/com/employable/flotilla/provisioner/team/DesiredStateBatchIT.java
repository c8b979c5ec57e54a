package com.employable.flotilla.provisioner.team;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.team.TeamCreated;
import com.employable.flotilla.provisioner.support.ProvisionerItBase;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.ConfigurableTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;

/**
 * A poll's events are recorded in one transaction, and a refused event ends the batch: those before it are recorded,
 * it and those after it are not (the listener dead-letters it and gets the rest again), whether it is refused on its
 * own or on what the database holds.
 */
class DesiredStateBatchIT extends ProvisionerItBase {

    @Autowired
    DesiredStateService desiredState;

    @Autowired
    PlatformTransactionManager transactionManager;

    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger rollbacks = new AtomicInteger();
    private TransactionExecutionListener counter;

    @BeforeEach
    void countThisThreadsTransactions() {
        Thread test = Thread.currentThread();
        counter = new TransactionExecutionListener() {
            @Override
            public void afterCommit(TransactionExecution transaction, Throwable commitFailure) {
                if (Thread.currentThread() == test && commitFailure == null) {
                    commits.incrementAndGet();
                }
            }

            @Override
            public void afterRollback(TransactionExecution transaction, Throwable rollbackFailure) {
                if (Thread.currentThread() == test) {
                    rollbacks.incrementAndGet();
                }
            }
        };
        ((ConfigurableTransactionManager) transactionManager).addListener(counter);
    }

    @AfterEach
    void stopCounting() {
        ((ConfigurableTransactionManager) transactionManager)
                .getTransactionExecutionListeners()
                .remove(counter);
    }

    @Test
    void aBatchIsRecordedInOneTransaction() {
        List<String> teams = List.of(newTeamId("batch"), newTeamId("batch"), newTeamId("batch"));

        var refused = desiredState.applyAll(
                teams.stream().map(team -> created(team, "starter")).toList());

        assertThat(refused).isEmpty();
        assertThat(commits).hasValue(1);
        assertThat(rollbacks).hasValue(0);
        assertThat(recorded(teams)).isEqualTo(3);
    }

    @Test
    void anEventRefusedOnItsOwnEndsTheBatchAfterTheEventsBeforeItAreRecorded() {
        String first = newTeamId("before");
        String second = newTeamId("before");
        String after = newTeamId("after");

        var refused = desiredState.applyAll(List.of(
                created(first, "starter"),
                created(second, "starter"),
                // team id "mcp-server" would name the platform's registry app
                created("mcp-server", "starter"),
                created(after, "starter")));

        assertThat(refused).hasValueSatisfying(refusal -> {
            assertThat(refusal.index()).isEqualTo(2);
            assertThat(refusal.reason()).hasMessageContaining("platform app");
        });
        assertThat(commits).hasValue(1);
        assertThat(rollbacks).hasValue(0);
        assertThat(recorded(List.of(first, second))).isEqualTo(2);
        assertThat(recorded(List.of(after, "mcp-server"))).isZero();
    }

    @Test
    void anEventRefusedOnWhatIsRecordedRollsBackAndTheEventsBeforeItAreRecordedWithoutIt() {
        String first = newTeamId("before");
        String unknownPlan = newTeamId("platinum");
        String after = newTeamId("after");

        var refused = desiredState.applyAll(
                List.of(created(first, "starter"), created(unknownPlan, "platinum"), created(after, "starter")));

        assertThat(refused).hasValueSatisfying(refusal -> {
            assertThat(refusal.index()).isEqualTo(1);
            assertThat(refusal.reason()).hasMessageContaining("unknown plan 'platinum'");
        });
        assertThat(rollbacks).hasValue(1);
        assertThat(commits).hasValue(1);
        assertThat(recorded(List.of(first))).isEqualTo(1);
        assertThat(recorded(List.of(unknownPlan, after))).isZero();
    }

    private static ConsumedEvent created(String team, String plan) {
        return ConsumedEvent.untraced(
                EMPLOYABLE.envelope(Topics.TEAM_LIFECYCLE, new TeamCreated(team, 1, team, plan, "iad", now())));
    }

    private int recorded(List<String> teams) {
        return jdbc.sql("select count(*) from team where team_id = any(?)")
                .param(teams.toArray(String[]::new))
                .query(Integer.class)
                .single();
    }
}
