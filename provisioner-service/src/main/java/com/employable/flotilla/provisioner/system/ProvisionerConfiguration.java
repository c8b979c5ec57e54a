package com.employable.flotilla.provisioner.system;

import com.employable.flotilla.provisioner.audit.FlyCallAudit;
import com.employable.flotilla.provisioner.fly.FlyApps;
import com.employable.flotilla.provisioner.fly.FlyIps;
import com.employable.flotilla.provisioner.fly.FlyMachines;
import com.employable.flotilla.provisioner.fly.FlyProperties;
import com.employable.flotilla.provisioner.fly.FlyRateLimits;
import com.employable.flotilla.provisioner.fly.FlySecrets;
import com.employable.flotilla.provisioner.fly.FlyTransport;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ProvisionerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProvisionerConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Fly's limits as token buckets: per app or machine in memory (each team has one owner instance), org-scoped ones
     * (app creates and deletes) in PostgreSQL, shared by every instance.
     */
    @Bean
    FlyRateLimits flyRateLimits(FlyProperties fly, DataSource dataSource) {
        var buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("fly_rate_bucket")
                .build();
        return new FlyRateLimits(
                fly, (key, configuration) -> buckets.builder().build(key, () -> configuration), Ticker.systemTicker());
    }

    @Bean
    FlyTransport flyTransport(
            FlyProperties fly,
            ProvisionerProperties provisioner,
            MeterRegistry meters,
            FlyCallAudit audit,
            FlyRateLimits limits) {
        if (fly.token().isBlank()) {
            log.warn("FLY_API_TOKEN is not set: every Fly API call will be refused with 401");
        }
        if (!provisioner.image().contains("@sha256:")) {
            log.warn(
                    "Team server image {} is not pinned by digest: machines of one team may run different builds",
                    provisioner.image());
        }
        log.info("Fly API at {} (org {})", fly.apiUrl(), fly.org());
        return new FlyTransport(fly, meters, audit, limits);
    }

    @Bean
    FlyApps flyApps(FlyTransport transport) {
        return new FlyApps(transport);
    }

    @Bean
    FlyMachines flyMachines(FlyTransport transport) {
        return new FlyMachines(transport);
    }

    @Bean
    FlySecrets flySecrets(FlyTransport transport) {
        return new FlySecrets(transport);
    }

    @Bean
    FlyIps flyIps(FlyTransport transport) {
        return new FlyIps(transport);
    }
}
