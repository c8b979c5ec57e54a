package com.employable.flotilla.billing.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.employable.flotilla.billing.pricing.PriceBook;
import com.employable.flotilla.billing.projection.Projection.PlanShape;
import com.employable.flotilla.billing.projection.Projection.Profile;
import com.employable.flotilla.billing.projection.Projection.Provider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProjectionTest {

    private static final Projection PROJECTION = CostAnalysisDoc.current();
    private static final PriceBook BOOK = PROJECTION.book();
    private static final PlanShape STARTER = Projection.PLANS.get(0);
    private static final PlanShape TEAM = Projection.PLANS.get(1);
    private static final PlanShape BUSINESS = Projection.PLANS.get(2);

    @Test
    void flyMatchesItsPublishedAnchorsAndStoppedTimeOnlyPaysRootfs() {
        // shared-cpu-1x/512 MB always on at iad: 0.695 + 0.5 x 5 = $3.195 (Fly shows $3.19)
        assertThat(PROJECTION.perTeamMonthly(Provider.FLY, TEAM, Profile.ALWAYS_ON, "iad"))
                .isEqualByComparingTo("3.195");
        // an hour a day: 30.4/730 of that, plus 699.6 h of 1 GB rootfs at $0.15 per 720 h
        assertThat(PROJECTION.perTeamMonthly(Provider.FLY, TEAM, Profile.HOUR_A_DAY, "iad"))
                .isCloseTo(new BigDecimal("0.27880"), within(new BigDecimal("0.00001")));
        assertThat(PROJECTION.perTeamMonthly(Provider.FLY_RESERVED, TEAM, Profile.ALWAYS_ON, "iad"))
                .isEqualByComparingTo("1.917");
        assertThat(PROJECTION.perTeamMonthly(Provider.FLY, TEAM, Profile.ALWAYS_ON, "fra"))
                .isGreaterThan(PROJECTION.perTeamMonthly(Provider.FLY, TEAM, Profile.ALWAYS_ON, "iad"));
        // the 1 GB of egress at Fly's NA/EU price: the evaluation's $3.20 + $0.02, on the same 730-hour month
        assertThat(PROJECTION.perTeamWithEgress(Provider.FLY, TEAM, Profile.ALWAYS_ON, "iad"))
                .isEqualByComparingTo("3.215");
    }

    @Test
    void reservationsDiscountOnlyComputeThatRunsTheWholeMonth() {
        for (Profile profile : java.util.List.of(Profile.BUSINESS_HOURS, Profile.HOUR_A_DAY)) {
            for (PlanShape plan : java.util.List.of(STARTER, TEAM)) {
                assertThat(PROJECTION.perTeamMonthly(Provider.FLY_RESERVED, plan, profile, "iad"))
                        .as("%s stops when idle: nothing to reserve (%s)", plan.name(), profile.name())
                        .isEqualByComparingTo(PROJECTION.perTeamMonthly(Provider.FLY, plan, profile, "iad"));
            }
        }
        // business: shared-cpu-2x/1 GB = 2 x 0.695 + 5 = $6.39; its warm machine (730 h) gets 40% off, the
        // second machine's 176 h do not: 6.39 x 0.6 + 6.39 x 176/730, plus 554 h of rootfs
        BigDecimal expected = new BigDecimal("6.39")
                .multiply(new BigDecimal("0.6"))
                .add(new BigDecimal("6.39")
                        .multiply(new BigDecimal("176"))
                        .divide(new BigDecimal("730"), Projection.MC))
                .add(new BigDecimal("0.15")
                        .multiply(new BigDecimal("554"))
                        .divide(new BigDecimal("720"), Projection.MC));
        assertThat(PROJECTION.perTeamMonthly(Provider.FLY_RESERVED, BUSINESS, Profile.BUSINESS_HOURS, "iad"))
                .isCloseTo(expected, within(new BigDecimal("0.0000001")));
    }

    /** The worked examples of costs.md 3.2 (0.25 vCPU / 0.5 GB, 1 GB of egress, us-east-1 / Tier-1 / East US). */
    @Test
    void alternativesMatchTheWorkedExamplesOfTheCostModel() {
        var cent = within(new BigDecimal("0.01"));
        assertThat(PROJECTION.perTeamWithEgress(Provider.FARGATE_X86, STARTER, Profile.ALWAYS_ON, "iad"))
                .isCloseTo(new BigDecimal("12.75"), cent);
        assertThat(PROJECTION.perTeamWithEgress(Provider.FARGATE_ARM, STARTER, Profile.ALWAYS_ON, "iad"))
                .isCloseTo(new BigDecimal("10.95"), cent);
        assertThat(PROJECTION.perTeamWithEgress(Provider.CLOUD_RUN, STARTER, Profile.ALWAYS_ON, "iad"))
                .isCloseTo(new BigDecimal("19.18"), cent);
        assertThat(PROJECTION.perTeamWithEgress(Provider.ACI, STARTER, Profile.ALWAYS_ON, "iad"))
                .isCloseTo(new BigDecimal("9.10"), cent);
        assertThat(PROJECTION.perTeamWithEgress(Provider.FARGATE_X86, STARTER, Profile.BUSINESS_HOURS, "iad"))
                .isCloseTo(new BigDecimal("3.14"), cent);
        // Fly's regional markup: fra is 1.154 times iad
        assertThat(BOOK.computeMonthly("shared", 1, 256, "fra"))
                .isEqualByComparingTo(
                        BOOK.computeMonthly("shared", 1, 256, "iad").multiply(new BigDecimal("1.154")));
        assertThat(PROJECTION.egressMonthly(Provider.FLY, "syd")).isEqualByComparingTo("0.04");
        assertThat(PROJECTION.egressMonthly(Provider.FLY, "jnb")).isEqualByComparingTo("0.12");
    }

    @Test
    void aProfileSleepingOnlyPartOfItsIdleTimeIsBilledForTheRestAsRunning() {
        Profile half = Profile.BUSINESS_HOURS.sleepingOnly(new BigDecimal("0.5"));
        assertThat(half.activeHours()).isEqualByComparingTo("453"); // 176 + 554 / 2
        assertThat(Profile.HOUR_A_DAY.sleepingOnly(BigDecimal.ONE)).isEqualTo(Profile.HOUR_A_DAY);
        assertThat(Profile.BUSINESS_HOURS.sleepingOnly(BigDecimal.ZERO).activeHours())
                .isEqualByComparingTo("730");
    }

    @Test
    void theCliPrintsAssumptionsAndRejectsNonsense() {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = ProjectionCli.run(
                new String[] {"--teams", "10", "--months", "12", "--profile", "hours=42", "--idle-fraction", "0.95"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("measured 42 h/month")
                .contains("platform fixed costs at 29 teams")
                .contains("year 1 total");
        assertThat(ProjectionCli.run(new String[] {"--mix", "starter=0.9"}, new PrintStream(out), new PrintStream(err)))
                .isEqualTo(2);
        assertThat(ProjectionCli.run(new String[] {"--bogus", "1"}, new PrintStream(out), new PrintStream(err)))
                .isEqualTo(2);
        assertThat(ProjectionCli.run(
                        new String[] {"--idle-fraction", "1.5"}, new PrintStream(out), new PrintStream(err)))
                .isEqualTo(2);
    }
}
