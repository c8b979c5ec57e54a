package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.fly.FlyApiException;
import com.employable.flotilla.provisioner.fly.FlyModel.IpAssignment;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * A Flycast {@code private_v6} in the team's own network (Fly does not default the network), plus {@code shared_v4}
 * and {@code v6} when public IPs are on, the missing ones asked for at once. An assignment is not idempotent on the
 * wire: after an unclear answer the assignments are looked up before anything is asked again.
 */
@Component
class IpsReconciler implements ResourceReconciler {

    private final TeamFly fly;
    private final Concurrently concurrently;
    private final boolean publicIps;

    IpsReconciler(TeamFly fly, ProvisionerProperties properties, Concurrently concurrently) {
        this.fly = fly;
        this.concurrently = concurrently;
        this.publicIps = properties.publicIps();
    }

    @Override
    public String resource() {
        return "ips";
    }

    @Override
    public Step reconcile(ReconcileContext context) {
        if (context.observed().app().isEmpty()) {
            return Step.waiting("the app's addresses are observed once the app is", java.time.Duration.ZERO);
        }
        String app = context.app();
        List<IpAssignment> assigned = context.observed().ips();
        var missing = new ArrayList<Supplier<String>>();
        if (assigned.stream().noneMatch(IpsReconciler::isPrivate)) {
            missing.add(() -> assign(app, "private_v6", app, IpsReconciler::isPrivate));
        }
        if (publicIps) {
            if (assigned.stream().noneMatch(IpsReconciler::isSharedV4)) {
                missing.add(() -> assign(app, "shared_v4", null, IpsReconciler::isSharedV4));
            }
            if (assigned.stream().noneMatch(IpsReconciler::isPublicV6)) {
                missing.add(() -> assign(app, "v6", null, IpsReconciler::isPublicV6));
            }
        }
        if (missing.isEmpty()) {
            return Step.inSync();
        }
        // independent of each other, and Fly's bucket for assignments to one app takes three at once
        List<String> did = concurrently.all(missing);
        return Step.changed("assigned " + String.join(", ", did));
    }

    private String assign(String app, String type, String network, Predicate<IpAssignment> is) {
        try {
            fly.assignIp(app, type, network);
        } catch (FlyApiException e) {
            if (!e.retryable() || fly.ips(app).stream().noneMatch(is)) {
                throw e;
            }
        }
        return type;
    }

    static boolean isPrivate(IpAssignment ip) {
        return "private_v6".equals(ip.type()) || (ip.ip() != null && ip.ip().startsWith("fdaa"));
    }

    static boolean isSharedV4(IpAssignment ip) {
        return Boolean.TRUE.equals(ip.shared()) || "shared_v4".equals(ip.type());
    }

    static boolean isPublicV6(IpAssignment ip) {
        return "v6".equals(ip.type())
                || (ip.type() == null
                        && ip.ip() != null
                        && ip.ip().contains(":")
                        && !ip.ip().startsWith("fdaa")
                        && !Boolean.TRUE.equals(ip.shared()));
    }
}
