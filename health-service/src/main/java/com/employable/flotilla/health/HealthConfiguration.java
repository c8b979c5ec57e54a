package com.employable.flotilla.health;

import com.employable.flotilla.common.outbox.Outbox;
import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.health.monitor.HealthMonitor;
import com.employable.flotilla.health.monitor.ScheduleProperties;
import com.employable.flotilla.health.monitor.VerdictProperties;
import com.employable.flotilla.health.probe.FlyChecksProbe;
import com.employable.flotilla.health.probe.FlyChecksProperties;
import com.employable.flotilla.health.probe.McpProbe;
import com.employable.flotilla.health.probe.ProbeProperties;
import com.employable.flotilla.health.probe.ProbeTokens;
import com.employable.flotilla.health.probe.Prober;
import com.employable.flotilla.health.probe.StreamableHttpProbe;
import com.employable.flotilla.health.publish.PublishProperties;
import com.employable.flotilla.health.publish.TransitionPublisher;
import com.employable.flotilla.health.targets.Targets;
import com.employable.flotilla.health.targets.TargetsProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires registry targets, the MCP probe, the monitor and the transition publisher. */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ProbeTokens probeTokens(@Value("${flotilla.health.probe-key:}") String probeKey) {
        return ProbeTokens.fromConfiguration(probeKey);
    }

    /** The probes' threads: few and fixed for the SDK's non-blocking client, a bounded pool for the blocking one. */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService probeExecutor(ProbeProperties properties) {
        AtomicInteger threads = new AtomicInteger();
        int size = properties.client() == ProbeProperties.Client.SDK
                ? properties.httpThreads()
                : properties.probeThreads();
        return Executors.newFixedThreadPool(size, runnable -> {
            Thread thread = new Thread(runnable, "health-probe-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The probe: in {@code fly-checks} mode the reading of each machine's {@code mcp} check through the Machines API,
     * else an MCP conversation with the machine by the configured client.
     */
    @Bean
    Prober prober(
            ExecutorService probeExecutor,
            ProbeTokens tokens,
            ProbeProperties properties,
            TargetsProperties targets,
            FlyChecksProperties fly,
            Clock clock) {
        if (targets.address() == TargetsProperties.Address.FLY_CHECKS) {
            return FlyChecksProbe.create(fly, properties, probeExecutor, clock);
        }
        return switch (properties.client()) {
            case STREAMABLE_HTTP ->
                new StreamableHttpProbe(
                        StreamableHttpProbe.sharedClient(properties), probeExecutor, tokens, properties, clock);
            case SDK ->
                McpProbe.create(McpProbe.sharedHttpClient(properties, probeExecutor), tokens, properties, clock);
        };
    }

    @Bean
    TransitionPublisher transitionPublisher(
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager,
            Outbox outbox,
            PublishProperties properties,
            MeterRegistry registry,
            Clock clock) {
        return new TransitionPublisher(
                jdbc, new TransactionTemplate(transactionManager), outbox, properties, registry, clock);
    }

    @Bean
    HealthMonitor healthMonitor(
            Prober probe,
            ScheduleProperties schedule,
            VerdictProperties verdicts,
            TransitionPublisher transitions,
            MeterRegistry registry,
            Clock clock) {
        return new HealthMonitor(probe, schedule, verdicts, transitions, registry, clock);
    }

    @Bean
    Targets targets(
            TargetsProperties properties, TeamAddresses addresses, FlyChecksProperties fly, HealthMonitor monitor) {
        return new Targets(properties, addresses, fly.apiUrl(), monitor);
    }
}
