package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a claimed warm-pool machine becomes its team's ({@code flotilla.provisioner.pool.claim}).
 *
 * @param mode         {@code exec} (default, Fly's warm-pool blueprint): the suspended pool machine is resumed and its
 *                     team's identity written by exec into {@link #identityFile}, which its team server takes up while
 *                     it runs; {@code update}: the machine gets the team's full config by one update, a restart (about
 *                     20 s on Fly). A team whose plan's machine differs in shape from {@link #plan}'s is always
 *                     claimed by update
 * @param identityFile where the team server reads its identity (its {@code FLOTILLA_IDENTITY_FILE}); relative paths
 *                     resolve against the server's working directory, which on local-fly is the machine's own
 *                     directory. On Fly set an absolute path on the machine's root filesystem
 * @param plan         the plan whose machine shape (size, services, idle policy) pool machines are built with
 */
@ConfigurationProperties("flotilla.provisioner.pool.claim")
public record WarmClaimProperties(
        @DefaultValue("exec") Mode mode,
        @DefaultValue("flotilla-identity") String identityFile,
        @DefaultValue("starter") String plan) {

    public enum Mode {
        EXEC,
        UPDATE
    }

    public WarmClaimProperties {
        if (identityFile == null || identityFile.isBlank() || identityFile.contains("\n")) {
            throw new IllegalArgumentException("flotilla.provisioner.pool.claim.identity-file must be a path");
        }
    }

    public static WarmClaimProperties defaults() {
        return new WarmClaimProperties(Mode.EXEC, "flotilla-identity", "starter");
    }

    /** The pool's plan must exist: pool machines are shaped after it. */
    public void requirePlanIn(ProvisionerProperties provisioner) {
        if (!provisioner.plans().containsKey(plan)) {
            throw new IllegalArgumentException("flotilla.provisioner.pool.claim.plan: no plan '" + plan + "' in "
                    + provisioner.plans().keySet());
        }
    }
}
