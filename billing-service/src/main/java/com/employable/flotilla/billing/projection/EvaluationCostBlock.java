package com.employable.flotilla.billing.projection;

import static com.employable.flotilla.billing.projection.Projection.dollars;
import static com.employable.flotilla.billing.projection.Projection.money;

import com.employable.flotilla.billing.projection.Projection.PlanShape;
import com.employable.flotilla.billing.projection.Projection.Profile;
import com.employable.flotilla.billing.projection.Projection.Provider;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The cost block of {@code docs/evaluation.md}: one team on the team plan per provider and profile, how many times
 * cheaper Fly is, and what a large fleet pays with the platform. Computed from the same price book and cost model as
 * {@code docs/cost-analysis.md}, never copied by hand.
 */
public final class EvaluationCostBlock {

    public static final String NAME = "cost-table";

    private static final List<Provider> ALTERNATIVES =
            List.of(Provider.FARGATE_X86, Provider.FARGATE_ARM, Provider.CLOUD_RUN, Provider.ACI);

    private EvaluationCostBlock() {}

    /** The block's content, with the line breaks that keep the markers on lines of their own. */
    public static String markdown(Projection projection) {
        PlanShape team = Projection.PLANS.get(1);
        var headings = new ArrayList<String>();
        Profile.STANDARD.forEach(profile -> headings.add(profile.name()));
        var table = new MarkdownTable(List.of("Per team per month: team plan, iad, 1 GB egress"), headings);
        for (Provider provider : Provider.values()) {
            var cells = new ArrayList<>(List.of(provider.label));
            for (Profile profile : Profile.STANDARD) {
                cells.add(money(projection.perTeamWithEgress(provider, team, profile, "iad")));
            }
            table.row(cells);
        }
        var md = new StringBuilder("\n");
        md.append(table).append('\n');
        md.append("How many times cheaper Fly.io on demand is than the alternatives' rows: ");
        var ratios = new ArrayList<String>();
        for (Profile profile : Profile.STANDARD) {
            ratios.add(profile.name() + " " + ratioRange(projection, team, profile));
        }
        md.append(String.join("; ", ratios)).append(". ");
        BigDecimal teams = CostAnalysisDoc.FLEETS.get(CostAnalysisDoc.FLEETS.size() - 1);
        md.append("A fleet of ")
                .append(String.format("%,d", teams.intValueExact()))
                .append(" teams (plan mix starter ")
                .append("50%, team 30%, business 20%; half in iad, half in fra), platform's fixed costs included, "
                        + "per month: ");
        var fleets = new ArrayList<String>();
        for (Profile profile : List.of(Profile.ALWAYS_ON, Profile.BUSINESS_HOURS)) {
            FleetTotal fleet = FleetTotal.of(projection, teams, profile);
            fleets.add(profile.name() + ", Fly.io " + dollars(fleet.total().get(Provider.FLY)) + " ("
                    + dollars(fleet.total().get(Provider.FLY_RESERVED)) + " with reservations) against Fargate x86 "
                    + dollars(fleet.total().get(Provider.FARGATE_X86)) + ", Cloud Run "
                    + dollars(fleet.total().get(Provider.CLOUD_RUN)) + " and ACI "
                    + dollars(fleet.total().get(Provider.ACI)));
        }
        md.append(String.join("; ", fleets)).append(".\n");
        return md.toString();
    }

    private static String ratioRange(Projection projection, PlanShape plan, Profile profile) {
        BigDecimal fly = projection.perTeamWithEgress(Provider.FLY, plan, profile, "iad");
        BigDecimal low = null;
        BigDecimal high = null;
        for (Provider provider : ALTERNATIVES) {
            BigDecimal ratio =
                    projection.perTeamWithEgress(provider, plan, profile, "iad").divide(fly, 1, RoundingMode.HALF_EVEN);
            low = low == null ? ratio : low.min(ratio);
            high = high == null ? ratio : high.max(ratio);
        }
        return low + "-" + high + "×";
    }
}
