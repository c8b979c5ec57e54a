package com.employable.flotilla.devstack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A single-node KRaft broker from Apache Kafka's own jars: formats the storage on first start, then runs
 * {@code kafka.Kafka} in this process (so {@code down} stops it with one signal).
 */
public final class KafkaMain {

    private KafkaMain() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        Path data = dir.resolve("data");
        Path props = dir.resolve("server.properties");
        Files.createDirectories(data);
        Files.writeString(props, """
                process.roles=broker,controller
                node.id=1
                controller.quorum.bootstrap.servers=127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                log.dirs=%3$s
                num.partitions=1
                group.initial.rebalance.delay.ms=0
                offsets.topic.replication.factor=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                """.formatted(port, port + 1, data));
        if (!Files.exists(data.resolve("meta.properties"))) {
            String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
            // StorageTool exits its JVM when done, so it runs in a child process
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            int code = new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            "kafka.tools.StorageTool",
                            "format",
                            "--standalone",
                            "-t",
                            clusterId,
                            "-c",
                            props.toString())
                    .inheritIO()
                    .start()
                    .waitFor();
            if (code != 0) {
                throw new IllegalStateException("formatting the Kafka storage failed with exit code " + code);
            }
        }
        kafka.Kafka.main(new String[] {props.toString()});
    }
}
