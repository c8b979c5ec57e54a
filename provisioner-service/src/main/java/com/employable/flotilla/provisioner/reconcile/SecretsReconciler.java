package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.provisioner.teamdb.TeamDatabaseRoles;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * The app's secrets, derived per team. Fly never gives values back, so the observed side is the digest of what was
 * last written (in the status) for an app that existed when the pass began; a missing or recreated app has none.
 * Written even in the pass that created the app, so the first machine starts with them. The team's database role
 * (given the same password) is ensured before them.
 *
 * <p>A claimed warm-pool app also gets the team's whole identity file as one secret, {@value #IDENTITY}: its machine
 * keeps the pool's config (naming a placeholder) until its update at a stop the provisioner sees, and a boot from
 * stopped starts from a fresh root filesystem, where the file the claim's exec wrote is gone. Fly hands a machine the
 * app's secrets at every start, so a claimed machine started again by anyone (autostart after an autostop, a host
 * move) comes up as its team's server at once. The machine's secrets digest leaves it out: adding it restarts nothing.
 */
@Component
class SecretsReconciler implements ResourceReconciler {

    /** The team server's name for it (team-mcp-server's {@code IdentityFile.SECRET_ENV}). */
    static final String IDENTITY = "FLOTILLA_IDENTITY";

    private final TeamFly fly;
    private final TeamSecrets teamSecrets;
    private final TeamDatabaseRoles teamDatabase;
    private final TeamAddresses addresses;
    private final MachineSpec machineSpec;

    SecretsReconciler(
            TeamFly fly,
            TeamSecrets teamSecrets,
            TeamDatabaseRoles teamDatabase,
            TeamAddresses addresses,
            MachineSpec machineSpec) {
        this.fly = fly;
        this.teamSecrets = teamSecrets;
        this.teamDatabase = teamDatabase;
        this.addresses = addresses;
        this.machineSpec = machineSpec;
    }

    @Override
    public String resource() {
        return "secrets";
    }

    @Override
    public Step reconcile(ReconcileContext context) {
        String teamId = context.spec().teamId();
        Map<String, String> values = new TreeMap<>(teamSecrets.forTeam(teamId, teamDatabase.enabled()));
        if (addresses.isPoolApp(context.app())) {
            values.put(IDENTITY, machineSpec.identityFile(context.spec()));
        }
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
