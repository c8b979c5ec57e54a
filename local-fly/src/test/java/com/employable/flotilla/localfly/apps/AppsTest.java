package com.employable.flotilla.localfly.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.localfly.error.FlyError;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class AppsTest {

    private final Apps apps = new Apps(Clock.systemUTC(), "personal");

    @Test
    void appsOfOneOrgOnOneNetworkShareItsNumberAndTheDefaultNetworkIsOne() {
        App first = apps.create("team-a", null, "team-net");
        App second = apps.create("team-a-probe", "personal", "team-net");
        App otherOrg = apps.create("team-b", "acme", "team-net");
        App plain = apps.create("plain", null, null);

        assertThat(first.org()).isEqualTo("personal");
        assertThat(second.networkId()).isEqualTo(first.networkId());
        assertThat(otherOrg.networkId()).isNotEqualTo(first.networkId());
        assertThat(plain.network()).isEqualTo("default");
        assertThat(plain.networkId()).isEqualTo(1);
        assertThat(apps.networkId("team-net")).contains(first.networkId());
        assertThat(apps.networkId("nowhere")).isEmpty();
        assertThat(apps.list("acme")).containsExactly(otherOrg);
    }

    @Test
    void namesAreValidatedUniqueAndRemovable() {
        apps.create("taken", null, null);

        assertThatThrownBy(() -> apps.create("taken", null, null))
                .isInstanceOfSatisfying(
                        FlyError.class, e -> assertThat(e.flyStatus()).isEqualTo("name_taken"));
        assertThatThrownBy(() -> apps.create("Not_Valid", null, null))
                .isInstanceOfSatisfying(
                        FlyError.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
        apps.remove("taken");
        assertThat(apps.find("taken")).isEmpty();
        assertThatThrownBy(() -> apps.require("taken"))
                .isInstanceOfSatisfying(
                        FlyError.class, e -> assertThat(e.httpStatus()).isEqualTo(404));
    }
}
