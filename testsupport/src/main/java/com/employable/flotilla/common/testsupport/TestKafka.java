package com.employable.flotilla.common.testsupport;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * One real Kafka broker per test JVM, started on first use and stopped when the test plan ends
 * ({@link TestInfrastructureShutdown}).
 *
 * <p>System property {@value #MODE_PROPERTY}: {@code auto} (default: Testcontainers when a Docker engine answers,
 * else Apache Kafka's in-JVM KRaft broker), {@code embedded}, {@code container}. Environment variable
 * {@value #EXTERNAL_ENV} points at a broker that is already running instead.
 */
public final class TestKafka {

    public static final String MODE_PROPERTY = "flotilla.test.kafka";

    public static final String EXTERNAL_ENV = "FLOTILLA_TEST_KAFKA_BOOTSTRAP";

    private static final String KAFKA_IMAGE = "apache/kafka-native:4.1.2";

    private static String bootstrapServers;

    private static AutoCloseable handle;

    private TestKafka() {}

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            start();
        }
        return bootstrapServers;
    }

    private static EmbeddedKafkaKraftBroker embeddedBroker() {
        var broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.afterPropertiesSet();
        return broker;
    }

    private static void start() {
        String external = System.getenv(EXTERNAL_ENV);
        if (external != null && !external.isBlank()) {
            bootstrapServers = external;
            handle = () -> {};
            return;
        }
        String mode = System.getProperty(MODE_PROPERTY, "auto");
        boolean container = switch (mode) {
            case "container" -> true;
            case "embedded" -> false;
            case "auto" -> DockerClientFactory.instance().isDockerAvailable();
            default -> throw new IllegalArgumentException(MODE_PROPERTY + " must be auto, embedded or container");
        };
        if (container) {
            var kafka = new KafkaContainer(KAFKA_IMAGE);
            kafka.start();
            bootstrapServers = kafka.getBootstrapServers();
            handle = kafka::stop;
        } else {
            var broker = embeddedBroker();
            bootstrapServers = broker.getBrokersAsString();
            handle = broker::destroy;
        }
    }

    static synchronized void stop() throws Exception {
        if (handle != null) {
            handle.close();
            handle = null;
            bootstrapServers = null;
        }
    }
}
