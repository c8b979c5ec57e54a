package com.employable.flotilla.provisioner.reconcile;

import com.employable.flotilla.provisioner.fly.FlyApiException;
import com.employable.flotilla.provisioner.fly.FlyModel.Lease;
import com.employable.flotilla.provisioner.fly.FlyProperties;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Every mutation of an existing machine holds a short lease (13 s like flyctl), so a concurrent actor, or a crashed
 * earlier run of this one, cannot interleave; an orphaned lease expires by itself.
 */
@Component
class Leases {

    private static final Logger log = LoggerFactory.getLogger(Leases.class);

    private final TeamFly fly;
    private final FlyProperties properties;

    Leases(TeamFly fly, FlyProperties properties) {
        this.fly = fly;
        this.properties = properties;
    }

    /** @throws LeaseConflict when someone else holds the lease: nothing was changed */
    void withLease(String app, String machineId, Consumer<String> mutation) {
        Lease lease;
        try {
            lease = fly.acquireLease(app, machineId, properties.leaseTtl(), "flotilla provisioner");
        } catch (FlyApiException e) {
            if (e.status() == 409) {
                throw new LeaseConflict(machineId);
            }
            throw e;
        }
        try {
            mutation.accept(lease.nonce());
        } finally {
            try {
                fly.releaseLease(app, machineId, lease.nonce());
            } catch (FlyApiException e) {
                log.debug("Lease on {} not released ({}); it expires by itself", machineId, e.getMessage());
            }
        }
    }
}
