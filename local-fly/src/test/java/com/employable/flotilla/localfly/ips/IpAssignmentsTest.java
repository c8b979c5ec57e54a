package com.employable.flotilla.localfly.ips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.localfly.apps.App;
import com.employable.flotilla.localfly.apps.Apps;
import com.employable.flotilla.localfly.error.FlyError;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class IpAssignmentsTest {

    private final Apps apps = new Apps(Clock.systemUTC(), "personal");
    private final IpAssignments ips = new IpAssignments(apps, Clock.systemUTC());

    @Test
    void flycastWithoutANetworkLandsInTheDefaultOneNotTheApps() {
        App app = apps.create("app", null, "app-net");

        IpAssignment flycast = ips.assign("app", "private_v6", null, null);
        IpAssignment own = ips.assign("app", "private_v6", "app-net", null);

        assertThat(flycast.network()).isEqualTo("default");
        assertThat(flycast.ip()).startsWith("fdaa:0:1:");
        assertThat(own.ip()).startsWith(String.format("fdaa:0:%x:", app.networkId()));
        assertThat(ips.assign("app", "shared_v4", null, null).network()).isNull();
    }

    @Test
    void unknownTypesAndAddressesAreRefusedInFlysTerms() {
        apps.create("app", null, null);
        IpAssignment v6 = ips.assign("app", "v6", null, "fra");

        assertThatThrownBy(() -> ips.assign("app", "v5", null, null))
                .isInstanceOfSatisfying(
                        FlyError.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
        assertThatThrownBy(() -> ips.release("app", "::1"))
                .isInstanceOfSatisfying(
                        FlyError.class, e -> assertThat(e.httpStatus()).isEqualTo(404));
        ips.release("app", v6.ip());
        assertThat(ips.of("app")).isEmpty();
        assertThatThrownBy(() -> ips.of("missing")).isInstanceOf(FlyError.class);
    }
}
