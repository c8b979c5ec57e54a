package com.employable.flotilla.provisioner.pool;

import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.employable.flotilla.provisioner.team.RegionGroups;
import com.employable.flotilla.provisioner.team.WarmApps;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The claim: a new team gets the oldest ready pool app of its own region, else of the next region of its residency
 * group (a warm machine next door beats a cold one here, but never outside the group). The claim is one conditional
 * row update in the transaction that records the team, so it and the team row naming the app commit together; from
 * there the team's reconcile owns the app (writes the team's secrets, then gives the machine the team's config by one
 * update, which starts it). An empty pool is no error: the team's own app is created cold.
 */
@Component
class WarmPool implements WarmApps {

    private static final Logger log = LoggerFactory.getLogger(WarmPool.class);

    private final PoolEntries entries;
    private final PoolProperties properties;
    private final RegionGroups regionGroups;
    private final String image;
    private final PoolMetrics metrics;

    WarmPool(PoolEntries entries, PoolProperties properties, ProvisionerProperties provisioner, PoolMetrics metrics) {
        this.entries = entries;
        this.properties = properties;
        this.regionGroups = provisioner.residency();
        this.image = provisioner.image();
        this.metrics = metrics;
        properties.targets().keySet().forEach(region -> {
            if (regionGroups.groupOf(region).isEmpty()) {
                throw new IllegalArgumentException("flotilla.provisioner.pool.targets: region '" + region
                        + "' is in no residency group (" + regionGroups + ")");
            }
        });
    }

    @Override
    public Optional<String> claim(String teamId, String region) {
        if (!properties.enabled()) {
            return Optional.empty();
        }
        List<String> regions;
        try {
            regions = regionGroups.candidates(region, null);
        } catch (IllegalArgumentException noGroup) {
            return Optional.empty();
        }
        Optional<String> app = entries.claim(teamId, regions, image);
        if (app.isPresent()) {
            metrics.claimed();
            log.info("Team {} claimed warm pool app {}", teamId, app.get());
        } else {
            metrics.empty();
            log.info("Warm pool has no ready app in {} for team {}: its own app is created cold", regions, teamId);
        }
        return app;
    }

    @Override
    public boolean claimedBy(String teamId, String app) {
        return entries.claimedBy(teamId, app);
    }

    @Override
    public void released(String teamId, String app) {
        entries.release(teamId, app);
    }
}
