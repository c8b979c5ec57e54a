package com.employable.flotilla.billing.system;

import com.employable.flotilla.billing.pricing.PriceBooks;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class BillingConfiguration {

    /** Tests that move time themselves register their own clock before the context starts. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    PriceBooks priceBooks() {
        return PriceBooks.load();
    }
}
