package com.employable.flotilla.registry.gateway;

import com.employable.flotilla.common.auth.TeamCredentials;
import com.employable.flotilla.common.teams.TeamAddresses;
import com.employable.flotilla.registry.auth.AgentAuthenticator;
import com.employable.flotilla.registry.auth.AuthProperties;
import com.employable.flotilla.registry.auth.TeamTokens;
import com.employable.flotilla.registry.discovery.ServerDirectory;
import com.employable.flotilla.registry.system.PublicUrls;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class GatewayConfiguration {

    /** A thread per proxied exchange (see {@link GatewayThreads#calls}). */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService gatewayCalls() {
        return GatewayThreads.calls();
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService gatewayDeadlines() {
        return GatewayThreads.deadlines();
    }

    @Bean
    FilterRegistrationBean<CanonicalPaths> canonicalPaths() {
        var registration = new FilterRegistrationBean<>(new CanonicalPaths());
        registration.addUrlPatterns("/*");
        registration.setAsyncSupported(true);
        registration.setName("canonicalPaths");
        // before everything else, Spring Security-like filters and the gateway included: nothing routes or
        // authenticates on a path that is not in its one canonical form
        registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * Lets encoded slashes and backslashes reach {@link CanonicalPaths} (Tomcat would otherwise refuse some of them
     * itself, with a body that is not a JSON problem), and never lets Tomcat read a backslash as a separator.
     */
    @Bean
    TomcatConnectorCustomizer canonicalPathsReachTheFilter() {
        return connector -> {
            connector.setEncodedSolidusHandling("passthrough");
            connector.setAllowBackslash(false);
            connector.setProperty("relaxedPathChars", "\\");
        };
    }

    /** Tomcat's own refusals (before any filter runs) as JSON problems too. */
    @Bean
    TomcatContextCustomizer problemErrorReports() {
        return context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        };
    }

    @Bean
    FilterRegistrationBean<McpGateway> mcpGateway(
            AgentAuthenticator authenticator,
            ServerDirectory directory,
            PublicUrls urls,
            GatewayProperties properties,
            AuthProperties auth,
            SessionAffinity sessions,
            GatewayMetrics metrics,
            ExecutorService gatewayCalls,
            ScheduledExecutorService gatewayDeadlines,
            TeamAddresses addresses,
            Clock clock) {
        if (properties.mode() == GatewayProperties.Mode.FLY_REPLAY && auth.symmetric()) {
            throw new IllegalStateException(
                    "fly-replay mode needs asymmetric employable tokens (FLOTILLA_JWT_JWKS_URL): "
                            + "with an HS256 secret only the gateway can verify them, so it must proxy (mode proxy)");
        }
        McpProxy proxy = null;
        if (properties.mode() == GatewayProperties.Mode.PROXY) {
            byte[] gatewayKey = TeamCredentials.platformKey(properties.key(), "FLOTILLA_GATEWAY_KEY");
            requireDistinctFromJwtSecret(gatewayKey, properties.key(), auth);
            var tokens = new TeamTokens(gatewayKey, properties.tokenTtl(), clock);
            var http = UpstreamClient.create(properties.connectTimeout());
            proxy = new McpProxy(http, gatewayCalls, gatewayDeadlines, tokens, sessions, properties, metrics);
        }
        var limits = new TeamLimits(
                properties.maxRequestsPerTeam(), properties.maxStreamsPerTeam(), properties.retryAfter());
        var registration = new FilterRegistrationBean<>(new McpGateway(
                authenticator,
                directory,
                urls,
                properties,
                proxy,
                sessions,
                metrics,
                addresses,
                limits,
                gatewayDeadlines));
        registration.addUrlPatterns("/*");
        registration.setAsyncSupported(true);
        registration.setName("mcpGateway");
        // after the canonical-path check and Spring's encoding and observation filters (HIGHEST_PRECEDENCE, + 1),
        // before the rest: a form-body filter would consume a DELETE's body, and nothing else has a part in proxying
        registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 11);
        return registration;
    }

    /**
     * The gateway key signs what team servers trust; employable's HS256 secret verifies what agents present. One value
     * for both would let whoever holds employable's secret derive every team's token key, so it is refused, whether
     * the same bytes or the same text was configured.
     */
    static void requireDistinctFromJwtSecret(byte[] gatewayKey, String gatewayKeyText, AuthProperties auth) {
        if (!auth.symmetric()) {
            return;
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        keys.put("FLOTILLA_GATEWAY_KEY", gatewayKey);
        keys.put("FLOTILLA_JWT_HS256_SECRET", auth.hs256Secret().getBytes(StandardCharsets.UTF_8));
        TeamCredentials.requireDistinct(keys);
        keys.put("FLOTILLA_GATEWAY_KEY", gatewayKeyText.trim().getBytes(StandardCharsets.UTF_8));
        TeamCredentials.requireDistinct(keys);
    }
}
