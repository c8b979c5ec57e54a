package com.employable.flotilla.registry.api;

import com.employable.flotilla.registry.auth.AgentAuthenticator;
import com.employable.flotilla.registry.discovery.ServerDirectory;
import com.employable.flotilla.registry.system.PublicUrls;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class ApiConfiguration implements WebMvcConfigurer {

    private final AgentAuthenticator authenticator;

    ApiConfiguration(AgentAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new AgentArgumentResolver(authenticator));
    }

    /**
     * After the canonical-path check and Spring's encoding and observation filters (HIGHEST_PRECEDENCE, + 1), before
     * the rest and Spring MVC: the hot lookup pays for none of those.
     */
    @Bean
    FilterRegistrationBean<TeamServerLookup> teamServerLookup(
            ServerDirectory directory, McpClients clients, PublicUrls urls, JsonMapper json, MeterRegistry meters) {
        var registration = new FilterRegistrationBean<>(
                new TeamServerLookup(authenticator, directory, clients, urls, json, meters));
        registration.addUrlPatterns("/v1/teams/*");
        registration.setName("teamServerLookup");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
