package com.employable.flotilla.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.common.events.Topic;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.e2e.support.ServiceProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The production ACLs (deploy/kafka/acls.sh) and the contracts agree: each topic is writable by exactly the principal
 * of its declared producer, so the ACLs and the consumers' ce_source check describe the same producer.
 */
class KafkaAclsTest {

    private static final Pattern PRODUCE = Pattern.compile("^produce (\\S+) (\\S+)$", Pattern.MULTILINE);

    private static final Pattern DEAD_LETTER = Pattern.compile("^dead_letter (\\S+) (\\S+)$", Pattern.MULTILINE);

    @Test
    void everyTopicIsProducedByExactlyItsDeclaredProducer() throws IOException {
        String acls = Files.readString(ServiceProcesses.root().resolve("deploy/kafka/acls.sh"));
        Map<String, Set<String>> producersByTopic = new HashMap<>();
        Matcher produce = PRODUCE.matcher(acls);
        while (produce.find()) {
            producersByTopic
                    .computeIfAbsent(produce.group(2), topic -> new HashSet<>())
                    .add(produce.group(1));
        }

        assertThat(producersByTopic.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        Topics.ALL.stream().map(Topic::name).toList());
        for (Topic<?> topic : Topics.ALL) {
            assertThat(producersByTopic.get(topic.name()))
                    .as(topic.name())
                    .containsExactly(principalOf(topic.producer()));
        }
    }

    @Test
    void deadLetterTopicsAreWrittenOnlyByConsumersOfTheirTopic() throws IOException {
        String acls = Files.readString(ServiceProcesses.root().resolve("deploy/kafka/acls.sh"));
        Matcher deadLetter = DEAD_LETTER.matcher(acls);
        int found = 0;
        while (deadLetter.find()) {
            found++;
            String consumes = "consume " + deadLetter.group(1) + " " + deadLetter.group(2) + " ";
            assertThat(acls)
                    .as("%s writes %s-dlt", deadLetter.group(1), deadLetter.group(2))
                    .contains(consumes);
        }
        assertThat(found).isPositive();
        assertThat(List.of(acls.split("\n"))).noneMatch(line -> line.contains("--operation All"));
    }

    /** ce_source {@code flotilla/registry} is principal {@code flotilla-registry}; {@code employable} is itself. */
    private static String principalOf(String producer) {
        return producer.replace('/', '-');
    }
}
