package com.employable.flotilla.common.operator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Guards a service's internal API ({@code flotilla.operator.protected-paths}) with the operator token. A service
 * that protects paths and has no valid token fails at start-up: an internal API is never served open.
 */
@AutoConfiguration
@ConditionalOnClass(FilterRegistrationBean.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(OperatorProperties.class)
public class FlotillaOperatorAutoConfiguration {

    @Bean
    FilterRegistrationBean<?> operatorAuthFilter(OperatorProperties properties) {
        if (properties.protectedPaths().isEmpty()) {
            FilterRegistrationBean<OperatorAuthFilter> off = new FilterRegistrationBean<>();
            off.setEnabled(false);
            return off;
        }
        var registration = new FilterRegistrationBean<>(
                new OperatorAuthFilter(new OperatorToken(properties.token(), properties.previousToken())));
        registration.setUrlPatterns(properties.protectedPaths());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.setName("operatorAuthFilter");
        return registration;
    }
}
