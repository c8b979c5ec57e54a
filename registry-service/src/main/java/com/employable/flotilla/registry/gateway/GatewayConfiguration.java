package com.employable.flotilla.registry.gateway;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

import com.employable.flotilla.common.auth.TeamCredentials;
import com.employable.flotilla.registry.auth.AgentAuthenticator;
import com.employable.flotilla.registry.auth.AuthProperties;
import com.employable.flotilla.registry.auth.TeamTokens;
import com.employable.flotilla.registry.discovery.ServerDirectory;
import com.employable.flotilla.registry.system.PublicUrls;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class GatewayConfiguration {

    /** Threads that relay upstream bytes; each is busy only while a chunk is written to a client. */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService gatewayExecutor() {
        var counter = new AtomicInteger();
        return Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "mcp-gateway-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    FilterRegistrationBean<McpGateway> mcpGateway(AgentAuthenticator authenticator, ServerDirectory directory,
            PublicUrls urls, GatewayProperties properties, AuthProperties auth, SessionAffinity sessions,
            GatewayMetrics metrics, ExecutorService gatewayExecutor, Clock clock) {
        if (properties.mode() == GatewayProperties.Mode.FLY_REPLAY && auth.symmetric()) {
            throw new IllegalStateException("fly-replay mode needs asymmetric employable tokens (FLOTILLA_JWT_JWKS_URL): "
                    + "with an HS256 secret only the gateway can verify them, so it must proxy (mode proxy)");
        }
        McpProxy proxy = null;
        if (properties.mode() == GatewayProperties.Mode.PROXY) {
            var tokens = new TeamTokens(TeamCredentials.platformKey(properties.key(), "FLOTILLA_GATEWAY_KEY"),
                    properties.tokenTtl(), clock);
            // HTTP/1.1: what Fly Proxy and local-fly speak to machines; no redirects: the endpoint is the endpoint
            var http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(properties.connectTimeout())
                .executor(gatewayExecutor)
                .build();
            proxy = new McpProxy(http, gatewayExecutor, tokens, sessions, properties, metrics);
        }
        var registration = new FilterRegistrationBean<>(
                new McpGateway(authenticator, directory, urls, properties, proxy, sessions, metrics));
        registration.addUrlPatterns("/*");
        registration.setAsyncSupported(true);
        registration.setName("mcpGateway");
        return registration;
    }
}
