package com.employable.flotilla.common.operator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

class FlotillaOperatorAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FlotillaOperatorAutoConfiguration.class));

    @Test
    void aServiceThatProtectsNoPathGetsNoFilter() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FilterRegistrationBean.class));
    }

    @Test
    void protectedPathsAreGuardedByTheOperatorToken() {
        runner.withPropertyValues(
                        "flotilla.operator.protected-paths=/v1/*",
                        "flotilla.operator.token=operator-token-of-at-least-32-characters")
                .run(context -> assertThat(
                                context.getBean(FilterRegistrationBean.class).getUrlPatterns())
                        .containsExactly("/v1/*"));
    }

    @Test
    void protectedPathsWithoutATokenStopTheService() {
        runner.withPropertyValues("flotilla.operator.protected-paths=/v1/*")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasRootCauseMessage("FLOTILLA_OPERATOR_TOKEN is not configured: the internal API needs an "
                                + "operator token"));
    }
}
