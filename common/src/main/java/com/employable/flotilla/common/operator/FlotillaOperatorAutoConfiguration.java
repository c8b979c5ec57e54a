package com.employable.flotilla.common.operator;

import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Guards a service's internal API ({@code flotilla.operator.protected-paths}) with the operator token. A service
 * that protects paths and has no valid token fails at start-up: an internal API is never served open. A service that
 * lists none (the registry, whose API agents call with their own tokens) gets no filter.
 */
@AutoConfiguration
@ConditionalOnClass(FilterRegistrationBean.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(OperatorProperties.class)
public class FlotillaOperatorAutoConfiguration {

    static final String PROTECTED_PATHS = "flotilla.operator.protected-paths";

    @Bean
    @Conditional(ProtectedPathsListed.class)
    FilterRegistrationBean<OperatorAuthFilter> operatorAuthFilter(OperatorProperties properties) {
        var registration = new FilterRegistrationBean<>(
                new OperatorAuthFilter(new OperatorToken(properties.token(), properties.previousToken())));
        registration.setUrlPatterns(properties.protectedPaths());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.setName("operatorAuthFilter");
        return registration;
    }

    static final class ProtectedPathsListed extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            List<String> paths = Binder.get(context.getEnvironment())
                    .bind(PROTECTED_PATHS, Bindable.listOf(String.class))
                    .orElse(List.of());
            return paths.isEmpty()
                    ? ConditionOutcome.noMatch(PROTECTED_PATHS + " lists no path")
                    : ConditionOutcome.match(PROTECTED_PATHS + " " + paths);
        }
    }
}
