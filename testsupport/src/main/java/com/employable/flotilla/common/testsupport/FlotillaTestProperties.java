package com.employable.flotilla.common.testsupport;

import org.springframework.test.context.DynamicPropertyRegistry;

/** Points a Spring Boot test at the shared broker and at a database of its own. */
public final class FlotillaTestProperties {

    private FlotillaTestProperties() {}

    /** Registers Kafka and a fresh database (one per test class) for a {@code @DynamicPropertySource} method. */
    public static TestPostgres.TestDatabase register(DynamicPropertyRegistry registry, String purpose) {
        TestPostgres.TestDatabase database = TestPostgres.newDatabase(purpose);
        registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
        registry.add("spring.datasource.url", database::jdbcUrl);
        registry.add("spring.datasource.username", database::user);
        registry.add("spring.datasource.password", database::password);
        return database;
    }
}
