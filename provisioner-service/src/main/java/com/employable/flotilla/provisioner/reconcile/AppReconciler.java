package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.fly.FlyApiException;
import com.employable.flotilla.provisioner.fly.FlyModel.App;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The team's app, on a network of its own (a new 6PN: no private path to any other team). */
@Component
class AppReconciler implements ResourceReconciler {

    private static final Logger log = LoggerFactory.getLogger(AppReconciler.class);

    private final TeamFly fly;

    AppReconciler(TeamFly fly) {
        this.fly = fly;
    }

    @Override
    public String resource() {
        return "app";
    }

    @Override
    public Step reconcile(ReconcileContext context) {
        String name = context.app();
        if (context.observed().app().isPresent()) {
            requireOwnNetwork(name, context.observed().app().get());
            return Step.inSync();
        }
        try {
            fly.createApp(name, name);
            log.info(
                    "Created app {} with its own network for team {}",
                    name,
                    context.spec().teamId());
            return Step.changed("created app " + name);
        } catch (FlyApiException e) {
            // a repeat of a create whose answer was lost comes back name_taken: read what is there
            if (!(e.status() == 422 || "name_taken".equals(e.flyStatus()) || e.ambiguous())) {
                throw e;
            }
        }
        App found = fly.app(name)
                .orElseThrow(() -> new StepFailure("app name " + name + " is taken outside this organization", false));
        requireOwnNetwork(name, found);
        // what the earlier create left (addresses, machines) is not known: the next pass observes it
        return Step.observeAgain("adopted app " + name + " of an earlier create", null);
    }

    private static void requireOwnNetwork(String name, App app) {
        if (!name.equals(app.network())) {
            // an app on a shared network would reach other teams' servers: never run a team there
            throw new StepFailure("app " + name + " is on network '" + app.network() + "', not its own", false);
        }
    }
}
