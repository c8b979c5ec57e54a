package com.employable.flotilla.localfly.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.localfly.limits.RateLimits.Limit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of Fly's documented limits each call counts against, and keyed on what. */
class RateKeysTest {

    private static RateKeys keys(String method, String path) {
        return RateKeys.of(method, List.of(path.substring(1).split("/"))).orElseThrow();
    }

    @Test
    void onlyGetMachineHasTheReadRateAndOnlyAppDeletionsTheirOwnPerMinute() {
        assertThat(keys("GET", "/apps/a/machines/m1").limit()).isEqualTo(Limit.GET_MACHINE);
        assertThat(keys("DELETE", "/apps/a").limit()).isEqualTo(Limit.DELETE_APP);
        for (RateKeys action : List.of(
                keys("GET", "/apps/a/machines"),
                keys("GET", "/apps/a/machines/m1/wait"),
                keys("GET", "/apps/a/machines/m1/events"),
                keys("POST", "/apps/a/machines"),
                keys("POST", "/apps/a/machines/m1/start"),
                keys("POST", "/apps/a/secrets"),
                keys("GET", "/apps/a"))) {
            assertThat(action.limit()).as(action.action()).isEqualTo(Limit.DEFAULT);
        }
    }

    @Test
    void machineActionsAreKeyedOnTheMachineAndAppActionsOnTheApp() {
        assertThat(keys("POST", "/apps/a/machines/m1/start")).isEqualTo(new RateKeys("machine_start_post", "m1"));
        assertThat(keys("GET", "/apps/a/machines/m1/wait")).isEqualTo(new RateKeys("machine_wait_get", "m1"));
        assertThat(keys("POST", "/apps/a/machines")).isEqualTo(new RateKeys("machine_create", "a"));
        assertThat(keys("GET", "/apps/a/machines")).isEqualTo(new RateKeys("machine_list", "a"));
    }
}
