package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.teamdb.TeamDatabaseRoles;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The app's secrets, derived per team. Fly never gives values back, so the observed side is the digest of what was
 * last written (in the status) for an app that existed when the pass began; a missing or recreated app has none.
 * Written even in the pass that created the app, so the first machine starts with them. The team's database role
 * (given the same password) is ensured before them.
 */
@Component
class SecretsReconciler implements ResourceReconciler {

    private final TeamFly fly;
    private final TeamSecrets teamSecrets;
    private final TeamDatabaseRoles teamDatabase;

    SecretsReconciler(TeamFly fly, TeamSecrets teamSecrets, TeamDatabaseRoles teamDatabase) {
        this.fly = fly;
        this.teamSecrets = teamSecrets;
        this.teamDatabase = teamDatabase;
    }

    @Override
    public String resource() {
        return "secrets";
    }

    @Override
    public Step reconcile(ReconcileContext context) {
        String teamId = context.spec().teamId();
        Map<String, String> values = teamSecrets.forTeam(teamId, teamDatabase.enabled());
        String digest = TeamSecrets.digest(values);
        boolean appHadThem =
                context.observed().app().isPresent() && !context.observed().appCreated();
        if (appHadThem && digest.equals(context.status().secretsDigest())) {
            return Step.inSync();
        }
        if (teamDatabase.enabled()) {
            teamDatabase.ensureRole(teamId, teamSecrets.databasePassword(teamId));
        }
        fly.setSecrets(context.app(), values);
        // the machines' spec carries this digest too, so they are updated (and restarted with these) next
        return Step.changed("wrote secrets", context.status().withSecretsDigest(digest));
    }
}
