package com.employable.flotilla.provisioner.support;

import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.common.testsupport.TestPostgres;
import com.employable.flotilla.provisioner.ProvisionerApplication;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A provisioner started and stopped by the test itself, as an operator restarts it with new settings: its own
 * database and Fly org (local-fly keeps orgs apart, so the shared IT context neither sees nor sweeps its apps), and
 * no lifecycle listener (teams are applied through the service directly), so it never competes for the shared topic.
 */
public final class ProvisionerInstance {

    private ProvisionerInstance() {}

    public static ConfigurableApplicationContext start(
            TestPostgres.TestDatabase database, String org, Map<String, Object> settings) {
        var properties = properties(database, org);
        properties.put("flotilla.fly.api-url", LocalFlyProcess.shared(Map.of()).apiUrl());
        properties.put("flotilla.fly.token", LocalFlyProcess.TOKEN);
        properties.putAll(settings);
        return run(properties, ProvisionerApplication.class);
    }

    /** An instance's settings: the test broker and the database, keys, short retries, listeners started by hand. */
    public static Map<String, Object> properties(TestPostgres.TestDatabase database, String org) {
        var properties = new HashMap<String, Object>();
        properties.put("spring.kafka.bootstrap-servers", TestKafka.bootstrapServers());
        properties.put("spring.kafka.consumer.group-id", "provisioner-instance-" + UUID.randomUUID());
        properties.put("spring.kafka.listener.auto-startup", "false");
        properties.put("spring.datasource.url", database.jdbcUrl());
        properties.put("spring.datasource.username", database.user());
        properties.put("spring.datasource.password", database.password());
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        properties.put("flotilla.fly.org", org);
        properties.put("flotilla.fly.retry-base", "50ms");
        properties.put("flotilla.operator.token", ProvisionerItBase.OPERATOR_TOKEN);
        properties.put("flotilla.provisioner.gateway-key", "aW5zdGFuY2UtZ2F0ZXdheS1rZXktMDEyMzQ1Njc4OWFiY2RlZg==");
        properties.put("flotilla.provisioner.probe-key", "aW5zdGFuY2UtcHJvYmUta2V5LTAxMjM0NTY3ODlhYmNkZWYwMQ==");
        properties.put("flotilla.provisioner.team-db-key", "aW5zdGFuY2UtdGVhbS1kYi1rZXktMDEyMzQ1Njc4OWFiY2RlZg==");
        properties.put("flotilla.provisioner.retry-base", "200ms");
        properties.put("flotilla.provisioner.retry-max", "2s");
        // no lifecycle listener, so no partitions: this instance owns every team
        properties.put("flotilla.provisioner.own-teams-by-partition", "false");
        return properties;
    }

    /** Starts the application with {@code properties} as command-line arguments. */
    public static ConfigurableApplicationContext run(Map<String, Object> properties, Class<?>... sources) {
        // as command-line arguments: they outrank application.yml, as the environment does in production
        String[] args = properties.entrySet().stream()
                .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(sources).run(args);
    }
}
