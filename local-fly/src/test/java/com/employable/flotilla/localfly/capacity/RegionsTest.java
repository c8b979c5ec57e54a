package com.employable.flotilla.localfly.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.localfly.error.FlyError;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Fly's regions in one place, its aliases, prioritised lists, and a configurable list for tests. */
class RegionsTest {

    private final Regions fly = Regions.fly();

    @Test
    void flysEighteenRegionsAndNothingElse() {
        assertThat(fly.codes())
                .containsExactlyInAnyOrder(
                        "ams", "arn", "cdg", "fra", "lhr", "dfw", "ewr", "iad", "lax", "ord", "sjc", "yyz", "gru",
                        "bom", "nrt", "sin", "syd", "jnb");
        assertThatThrownBy(() -> fly.place("mars", region -> true)).isInstanceOfSatisfying(FlyError.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(422);
            assertThat(e.getMessage()).isEqualTo("region mars not found");
        });
    }

    @Test
    void aListIsTriedInOrderWithAliasesExpandedAndNoRegionDefaultsToIad() {
        assertThat(fly.candidates("lhr,eu"))
                .startsWith("lhr")
                .containsExactlyInAnyOrder("lhr", "ams", "arn", "cdg", "fra");
        assertThat(fly.candidates("us")).doesNotContain("yyz").contains("iad", "sjc");
        assertThat(fly.candidates("na")).contains("yyz");
        assertThat(fly.candidates("sa")).containsExactly("gru");
        assertThat(fly.candidates("any")).hasSize(18);
        assertThat(fly.candidates(null)).containsExactly("iad");
        assertThat(fly.place("fra,ams", region -> !region.equals("fra"))).isEqualTo("ams");
        assertThatThrownBy(() -> fly.place("fra", region -> false))
                .isInstanceOfSatisfying(
                        FlyError.class, e -> assertThat(e.flyStatus()).isEqualTo("insufficient_capacity"));
    }

    @Test
    void testsCanNarrowTheList() {
        Regions narrow = Regions.only(List.of("fra", "xyz"));

        assertThat(narrow.codes()).isEqualTo(Set.of("fra", "xyz"));
        assertThat(narrow.place("xyz", region -> true)).isEqualTo("xyz");
        assertThat(narrow.candidates(null)).as("no iad here: the first code").containsExactly("fra");
        assertThatThrownBy(() -> narrow.place("iad", region -> true)).isInstanceOf(FlyError.class);
    }
}
