package com.employable.flotilla.billing.system;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

import com.employable.flotilla.billing.pricing.PriceBooks;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class BillingConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    PriceBooks priceBooks() {
        return PriceBooks.load();
    }
}
