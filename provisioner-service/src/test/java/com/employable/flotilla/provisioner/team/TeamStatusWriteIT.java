package com.employable.flotilla.provisioner.team;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.provisioner.support.ProvisionerItBase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A pass's status write keeps a secrets digest changed meanwhile unless the pass itself wrote the secrets. */
class TeamStatusWriteIT extends ProvisionerItBase {

    @Autowired
    TeamRepository teams;

    @Test
    void aPassThatDidNotWriteTheSecretsLeavesTheirDigestAsItFindsIt() {
        String team = newTeamId("digest");
        jdbc.sql("""
                insert into team (team_id, revision, plan, region, app_name, create_key, secrets_digest)
                values (?, 1, 'starter', 'iad', ?, 'ck', 'reset-by-an-operator')""").params(team, "flotilla-team-" + team).update();
        TeamStatus readBeforeTheReset = TeamStatus.pending().withSecretsDigest("current");

        teams.writeStatus(
                team,
                1,
                readBeforeTheReset.withConditions(List.of(new Condition("secrets", Condition.State.IN_SYNC))),
                false);
        String afterAnInSyncPass = digest(team);
        teams.writeStatus(
                team,
                1,
                readBeforeTheReset.withConditions(List.of(new Condition("secrets", Condition.State.CHANGED))),
                false);

        assertThat(afterAnInSyncPass).isEqualTo("reset-by-an-operator");
        assertThat(digest(team)).isEqualTo("current");
    }

    private String digest(String team) {
        return jdbc.sql("select secrets_digest from team where team_id = ?")
                .param(team)
                .query(String.class)
                .single();
    }
}
