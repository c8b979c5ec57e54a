package com.employable.flotilla.registry.api;

import com.employable.flotilla.registry.auth.AgentAuthenticator;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

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
}
