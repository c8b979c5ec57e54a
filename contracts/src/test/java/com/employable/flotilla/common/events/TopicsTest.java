package com.employable.flotilla.common.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.common.events.health.HealthChanged;
import com.employable.flotilla.common.events.team.TeamCreated;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The topic declarations and the rules every record enforces on its own, without any JSON mapping. */
class TopicsTest {

    @Test
    void everyPermittedEventTypeIsDeclaredOnItsTopicWithAStableName() {
        for (Topic<?> topic : Topics.ALL) {
            Set<Class<?>> permitted = Set.of(topic.valueType().getPermittedSubclasses());
            assertThat(Set.copyOf(topic.types().values())).as(topic.name()).isEqualTo(permitted);
            topic.types().forEach((ceType, type) -> {
                assertThat(ceType).startsWith("com.employable.").endsWith(".v1");
                assertThat(staticType(type)).as(type.getSimpleName() + ".TYPE").isEqualTo(ceType);
            });
        }
    }

    @Test
    void everyDeclaredTypeShipsASchemaAndARecordedExample() {
        for (Topic<?> topic : Topics.ALL) {
            for (String ceType : topic.types().keySet()) {
                assertThat(TopicsTest.class.getResource("/schemas/" + ceType + ".schema.json"))
                        .as(ceType)
                        .isNotNull();
                assertThat(TopicsTest.class.getResource("/examples/" + ceType + ".json"))
                        .as(ceType)
                        .isNotNull();
            }
        }
    }

    /** Audit finding 3: any producer could publish on any topic under any ce_source. */
    @Test
    void aTopicIsProducedByItsProducerAndSourcesBelowIt() {
        assertThat(Topics.TEAM_LIFECYCLE.producedBy("employable/web")).isTrue();
        assertThat(Topics.TEAM_LIFECYCLE.producedBy("employable-evil")).isFalse();
        assertThat(Topics.SERVER_LIFECYCLE.producedBy("flotilla/provisioner")).isTrue();
        assertThat(Topics.SERVER_LIFECYCLE.producedBy(null)).isFalse();
    }

    @Test
    void namesEachEventsTypeAndRefusesAnotherTopicsEvent() {
        var created = new TeamCreated("acme-sales", 1, "Acme", "starter", "fra", Instant.EPOCH);

        assertThat(Topics.TEAM_LIFECYCLE.typeOf(created)).isEqualTo(TeamCreated.TYPE);
        assertThat(Topics.TEAM_LIFECYCLE.classOf(HealthChanged.TYPE)).isEmpty();
        assertThat(Topics.byName(Topics.HEALTH_NAME)).contains(Topics.HEALTH);
        assertThat(Topics.HEALTH.deadLetterTopic()).isEqualTo("flotilla.health.v1-dlt");
        assertThatThrownBy(() -> typeOfAny(Topics.HEALTH, created)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRecordRefusesATeamIdOutsideTheAllowedAlphabetWithoutAnyMapper() {
        for (String bad : List.of(
                "Acme",
                "acme_sales",
                "",
                "a".repeat(41),
                "acme sales",
                "../etc",
                "3F2B8C1E-9D4A-4B7E-8F6A-1C2D3E4F5A6B")) {
            assertThatThrownBy(() -> new TeamCreated(bad, 1, "Acme", "starter", "fra", Instant.EPOCH))
                    .as(bad)
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining("teamId must be 1-40 characters");
        }
        assertThat(Require.isTeamId("3f2b8c1e-9d4a-4b7e-8f6a-1c2d3e4f5a6b")).isTrue();
        assertThat(Require.isTeamId("a".repeat(40))).isTrue();
    }

    @SuppressWarnings("unchecked")
    private static <E> String typeOfAny(Topic<E> topic, Object event) {
        return topic.typeOf((E) event);
    }

    private static String staticType(Class<?> type) {
        try {
            return (String) type.getField("TYPE").get(null);
        } catch (ReflectiveOperationException missing) {
            return null;
        }
    }
}
