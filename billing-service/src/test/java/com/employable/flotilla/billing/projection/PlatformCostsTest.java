package com.employable.flotilla.billing.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.employable.flotilla.billing.projection.Projection.Profile;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PlatformCostsTest {

    private static final Projection PROJECTION = CostAnalysisDoc.current();
    private static final PlatformCosts PLATFORM = new PlatformCosts(PROJECTION.book(), PROJECTION.model());

    private static PlatformCosts.Line line(BigDecimal teams, Profile profile, String item) {
        return PLATFORM.lines(teams, profile).stream()
                .filter(line -> line.item().equals(item))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theServicesAreAlwaysOnSoOnlyTheyGetTheReservationDiscount() {
        // 8 machines of shared-cpu-1x/1 GB in fra: (0.695 + 5) x 1.154 each
        var services = line(BigDecimal.TEN, Profile.BUSINESS_HOURS, "Platform services on Fly");
        assertThat(services.monthly())
                .isEqualByComparingTo(new BigDecimal("5.695")
                        .multiply(new BigDecimal("1.154"))
                        .multiply(BigDecimal.valueOf(8)));
        assertThat(services.reserved()).isEqualByComparingTo(services.monthly().multiply(new BigDecimal("0.6")));
        var kafka = line(BigDecimal.TEN, Profile.BUSINESS_HOURS, "Managed Kafka");
        assertThat(kafka.reserved()).isEqualByComparingTo(kafka.monthly());
    }

    @Test
    void kafkaTracingAndTheWarmPoolFollowTheirInputs() {
        // 1 eCKU x $0.75 x 730 h, plus 10 GB at $0.05 in/out and $0.03 stored
        assertThat(line(BigDecimal.valueOf(1_000), Profile.BUSINESS_HOURS, "Managed Kafka")
                        .monthly())
                .isEqualByComparingTo("548.30");
        // $19 with 50 GB included: 10,000 teams x 0.05 GB = 500 GB, 450 GB over at $0.50
        assertThat(line(BigDecimal.valueOf(10_000), Profile.BUSINESS_HOURS, "Tracing backend")
                        .monthly())
                .isEqualByComparingTo("244");
        // 20 suspended machines' 1 GB root filesystems (billed as stopped ones) at $0.15 per 720 h, for 730 h
        assertThat(line(BigDecimal.TEN, Profile.BUSINESS_HOURS, "Warm pool").monthly())
                .isCloseTo(new BigDecimal("3.0417"), within(new BigDecimal("0.0001")));
    }

    @Test
    void theDatabaseIsSizedForTheConnectionsOfTheTeamsAwakeAtTheBusiestHour() {
        // 100 teams, an eighth awake: 13 clients over two projects; the first also holds 80 direct connections
        var small = PLATFORM.databaseSizing(BigDecimal.valueOf(100), Profile.HOUR_A_DAY);
        assertThat(small.describe()).isEqualTo("2 projects: Small and Micro");
        // 10,000 teams all awake at ten in the morning: 5,000 clients a project
        var large = PLATFORM.databaseSizing(BigDecimal.valueOf(10_000), Profile.BUSINESS_HOURS);
        assertThat(large.describe()).isEqualTo("2 projects: 8XL and 8XL");
        // 30,000 do not fit two of the largest size (12,000 clients each): a third project
        assertThat(PLATFORM.databaseSizing(BigDecimal.valueOf(30_000), Profile.ALWAYS_ON)
                        .projects())
                .isEqualTo(3);
        // $25 plan + 2 x 8XL at $2.562 x 730 h - $10 credit + (1,000 GB - 250 GB) x $0.09 of egress
        assertThat(line(BigDecimal.valueOf(10_000), Profile.BUSINESS_HOURS, "Database")
                        .monthly())
                .isEqualByComparingTo(new BigDecimal("25")
                        .add(new BigDecimal("2.562").multiply(BigDecimal.valueOf(730 * 2)))
                        .subtract(BigDecimal.TEN)
                        .add(new BigDecimal("67.5")));
    }

    @Test
    void allowListingTheDatabaseByIpWouldCostAStaticEgressIpPerApp() {
        // 1,000 team apps and 4 platform apps at $0.005 an hour for 730 h
        assertThat(PLATFORM.staticEgressForAllowListing(BigDecimal.valueOf(1_000)))
                .isEqualByComparingTo(new BigDecimal("1004").multiply(new BigDecimal("3.65")));
        assertThat(line(BigDecimal.valueOf(1_000), Profile.BUSINESS_HOURS, "Static egress IPs")
                        .monthly())
                .isZero();
    }
}
