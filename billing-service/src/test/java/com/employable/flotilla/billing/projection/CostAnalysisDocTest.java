package com.employable.flotilla.billing.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.employable.flotilla.billing.pricing.PriceBook;
import com.employable.flotilla.billing.pricing.PriceBooks;
import com.employable.flotilla.billing.projection.Projection.PlanShape;
import com.employable.flotilla.billing.projection.Projection.Profile;
import com.employable.flotilla.billing.projection.Projection.Provider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CostAnalysisDocTest {

    private static final PriceBook BOOK = PriceBooks.load().current();
    private static final Path DOCS =
            Path.of(System.getProperty("flotilla.module.dir", ".")).resolve("../docs");

    @Test
    void theCommittedDocumentIsWhatTheCodeComputes() throws IOException {
        String markdown = CostAnalysisDoc.markdown(BOOK);
        String svg = CostAnalysisDoc.svg(BOOK);
        if (Boolean.getBoolean("flotilla.docs.write")) {
            Files.writeString(DOCS.resolve("cost-analysis.md"), markdown);
            Files.writeString(DOCS.resolve("cost-analysis.svg"), svg);
        }
        assertThat(Files.readString(DOCS.resolve("cost-analysis.md")))
                .as("docs/cost-analysis.md is stale: regenerate with -Dflotilla.docs.write=true")
                .isEqualTo(markdown);
        assertThat(Files.readString(DOCS.resolve("cost-analysis.svg"))).isEqualTo(svg);
    }

    @Test
    void flyMatchesItsPublishedAnchorsAndStoppedTimeOnlyPaysRootfs() {
        var projection = new Projection(BOOK);
        PlanShape team = Projection.PLANS.get(1);
        // shared-cpu-1x/512 MB always on at iad: 0.695 + 0.5 x 5 = $3.195 (Fly shows $3.19)
        assertThat(projection.perTeamMonthly(Provider.FLY, team, Profile.ALWAYS_ON, "iad"))
                .isEqualByComparingTo("3.195");
        // an hour a day: 30.4/730 of that, plus 699.6 h of 1 GB rootfs at $0.15 per 720 h
        assertThat(projection.perTeamMonthly(Provider.FLY, team, Profile.HOUR_A_DAY, "iad"))
                .isCloseTo(new BigDecimal("0.27880"), org.assertj.core.data.Offset.offset(new BigDecimal("0.00001")));
        assertThat(projection.perTeamMonthly(Provider.FLY_RESERVED, team, Profile.ALWAYS_ON, "iad"))
                .isEqualByComparingTo("1.917");
        assertThat(projection.perTeamMonthly(Provider.FLY, team, Profile.ALWAYS_ON, "fra"))
                .isGreaterThan(projection.perTeamMonthly(Provider.FLY, team, Profile.ALWAYS_ON, "iad"));
    }

    /**
     * The worked examples of costs.md §3.2 (0.25 vCPU / 0.5 GB, always on, us-east-1 / Tier-1 / East US), which add
     * 1 GB of egress per team that the projection leaves out: AWS $0.09, Google $0.12, Azure $0.087.
     */
    @Test
    void alternativesMatchTheWorkedExamplesOfTheCostModel() {
        var projection = new Projection(BOOK);
        PlanShape starter = Projection.PLANS.get(0);
        var cent = org.assertj.core.data.Offset.offset(new BigDecimal("0.01"));
        assertThat(projection
                        .perTeamMonthly(Provider.FARGATE_X86, starter, Profile.ALWAYS_ON, "iad")
                        .add(new BigDecimal("0.09")))
                .isCloseTo(new BigDecimal("12.75"), cent);
        assertThat(projection
                        .perTeamMonthly(Provider.FARGATE_ARM, starter, Profile.ALWAYS_ON, "iad")
                        .add(new BigDecimal("0.09")))
                .isCloseTo(new BigDecimal("10.95"), cent);
        assertThat(projection
                        .perTeamMonthly(Provider.CLOUD_RUN, starter, Profile.ALWAYS_ON, "iad")
                        .add(new BigDecimal("0.12")))
                .isCloseTo(new BigDecimal("19.18"), cent);
        assertThat(projection
                        .perTeamMonthly(Provider.ACI, starter, Profile.ALWAYS_ON, "iad")
                        .add(new BigDecimal("0.087")))
                .isCloseTo(new BigDecimal("9.10"), cent);
        assertThat(projection
                        .perTeamMonthly(Provider.FARGATE_X86, starter, Profile.BUSINESS_HOURS, "iad")
                        .add(new BigDecimal("0.09")))
                .isCloseTo(new BigDecimal("3.14"), cent);
        // Fly's regional markup: fra is 1.154 times iad
        assertThat(BOOK.computeMonthly("shared", 1, 256, "fra"))
                .isEqualByComparingTo(
                        BOOK.computeMonthly("shared", 1, 256, "iad").multiply(new BigDecimal("1.154")));
    }

    @Test
    void theCliPrintsAssumptionsAndRejectsNonsense() {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = ProjectionCli.run(
                new String[] {"--teams", "10", "--months", "12", "--profile", "hours=42"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("measured 42 h/month")
                .contains("year 1 total");
        assertThat(ProjectionCli.run(new String[] {"--mix", "starter=0.9"}, new PrintStream(out), new PrintStream(err)))
                .isEqualTo(2);
        assertThat(ProjectionCli.run(new String[] {"--bogus", "1"}, new PrintStream(out), new PrintStream(err)))
                .isEqualTo(2);
    }
}
