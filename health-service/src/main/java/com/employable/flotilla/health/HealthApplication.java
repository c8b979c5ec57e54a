package com.employable.flotilla.health;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Probes every registered team MCP server by speaking MCP and publishes health transitions. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HealthApplication {

    public static void main(String[] args) {
        SpringApplication.run(HealthApplication.class, args);
    }
}
