package com.employable.flotilla.provisioner;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Reconciles each team's desired state into an isolated Fly app with its machines, through the Fly Machines API. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ProvisionerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProvisionerApplication.class, args);
    }
}
