package com.employable.flotilla.common.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.common.events.server.ServerProvisioningFailed;
import com.employable.flotilla.common.events.team.TeamCreated;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Control characters: never in identifier-like fields, never NUL at all, line breaks allowed in free text. */
class RequireTest {

    private static final Instant NOW = Instant.parse("2026-11-30T09:00:00Z");

    @ParameterizedTest
    @ValueSource(strings = {"fra\u0000", "fr\na", "\tfra", "fra\r", "fra\u001b[31m", "fra\u007f", "fra\u0085"})
    void anIdentifierLikeFieldRefusesEveryControlCharacterNamingTheField(String region) {
        assertThatThrownBy(() -> new TeamCreated("team-1", 1, "Team", "team", region, NOW))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("region must not contain control characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Team\u0000", "Team\nAdmin"})
    void aTeamNameRefusesControlCharacters(String name) {
        assertThatThrownBy(() -> new TeamCreated("team-1", 1, name, "team", "fra", NOW))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("name must not contain control characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mars", "FRA", "fra ", "eu", "xyz"})
    void aTeamAsksForOneOfFlysRegions(String region) {
        assertThatThrownBy(() -> new TeamCreated("team-1", 1, "Team", "team", region, NOW))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("region '")
                .hasMessageContaining("is not a Fly region");
    }

    @org.junit.jupiter.api.Test
    void aTeamNameIsANameNotADocument() {
        assertThat(new TeamCreated("team-1", 1, "n".repeat(200), "team", "fra", NOW).name())
                .hasSize(200);
        assertThatThrownBy(() -> new TeamCreated("team-1", 1, "n".repeat(100_000), "team", "fra", NOW))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("name has 100000 characters, at most 200 are allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Team é ü 東京", "Team with spaces - and punctuation!"})
    void printableTextStillPasses(String name) {
        assertThat(new TeamCreated("team-1", 1, name, "team", "fra", NOW).name())
                .isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Fly said:\nHTTP 503\r\n\tretry later", "one line"})
    void freeTextKeepsLineBreaksAndTabs(String error) {
        assertThat(failed(error).error()).isEqualTo(error);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "Fly said:\nHTTP 503\u0000"})
    void freeTextRefusesNulNamingTheField(String error) {
        assertThatThrownBy(() -> failed(error))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("error must not contain control characters, found U+0000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  \n\t"})
    void freeTextIsStillRequired(String error) {
        assertThatThrownBy(() -> failed(error))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("error is required and must not be blank");
    }

    private static ServerProvisioningFailed failed(String error) {
        return new ServerProvisioningFailed("team-1", 1, "create-machine", error, true, 1, NOW);
    }
}
