package com.employable.flotilla.e2e.support;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run's cost as billing metered it ({@code GET /v1/teams/{team}/costs}) against billing's independent
 * recomputation from the {@code machine.state-changed} events alone (its {@code CostRecomputationCli}, run from the
 * packaged jar against the broker, as e2e may not import billing's code): per team, to the cent, and within a
 * tolerance small enough to catch a meter lost or counted twice in a short run.
 */
public final class CostCheck {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private CostCheck() {}

    /**
     * How far a metered figure may fall outside the recomputed window and still agree: billing rounds each hourly line
     * to the micro-dollar, and prices each second as a whole.
     */
    static final BigDecimal TOLERANCE = new BigDecimal("0.000005");

    /**
     * One team's figures: billing's, read at some moment between {@code from} and {@code to}, and the recomputation
     * at both ends of that window (machines running while billing was read cost more at its end).
     */
    public record TeamCost(String teamId, BigDecimal metered, BigDecimal recomputedFrom, BigDecimal recomputed) {

        public boolean agreesToTheCent() {
            return difference().compareTo(new BigDecimal("0.005")) < 0;
        }

        public boolean agreesWithinTolerance() {
            return difference().compareTo(TOLERANCE) <= 0;
        }

        /** How far the metered figure lies outside the recomputed window (zero inside it). */
        public BigDecimal difference() {
            BigDecimal low = recomputedFrom.min(recomputed);
            BigDecimal high = recomputedFrom.max(recomputed);
            if (metered.compareTo(low) < 0) {
                return low.subtract(metered);
            }
            return metered.compareTo(high) > 0 ? metered.subtract(high) : BigDecimal.ZERO;
        }
    }

    /**
     * Reads billing's figure of every team, and recomputes every team's cost from the broker's events as of the
     * moment before the first read and the moment after the last.
     */
    public static List<TeamCost> compare(Platform platform, String bootstrapServers, List<String> teams)
            throws IOException, InterruptedException {
        Instant from = Instant.now().minusSeconds(1);
        Map<String, BigDecimal> metered = new TreeMap<>();
        for (String team : teams) {
            HttpResponse<String> answer = HTTP.send(
                    HttpRequest.newBuilder(URI.create(platform.url("billing-service") + "/v1/teams/" + team + "/costs"))
                            .header("Authorization", "Bearer " + ServiceProcesses.OPERATOR_TOKEN)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            metered.put(
                    team,
                    new BigDecimal(CloudEventRecords.JSON
                            .readTree(answer.body())
                            .path("totalUsd")
                            .asString("0")));
        }
        Instant to = Instant.now().plusSeconds(1);
        Map<String, BigDecimal> atFrom = recompute(bootstrapServers, from);
        Map<String, BigDecimal> atTo = recompute(bootstrapServers, to);
        return teams.stream()
                .map(team -> new TeamCost(
                        team,
                        metered.get(team),
                        atFrom.getOrDefault(team, BigDecimal.ZERO),
                        atTo.getOrDefault(team, BigDecimal.ZERO)))
                .toList();
    }

    private static Map<String, BigDecimal> recompute(String bootstrapServers, Instant until)
            throws IOException, InterruptedException {
        Process cli = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        ServiceProcesses.jar("billing-service").toString(),
                        "-Dloader.main=com.employable.flotilla.billing.reconciliation.CostRecomputationCli",
                        "org.springframework.boot.loader.launch.PropertiesLauncher",
                        "--bootstrap",
                        bootstrapServers,
                        "--until",
                        until.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        cli.waitFor();
        Map<String, BigDecimal> amounts = new TreeMap<>();
        for (String line : out.split("\n")) {
            String[] cells = line.split("\t");
            if (cells.length == 4 && !cells[0].equals("team_id") && !cells[0].equals("total")) {
                amounts.put(cells[0], new BigDecimal(cells[3].trim()));
            }
        }
        return amounts;
    }

    public static String markdown(List<TeamCost> costs) {
        BigDecimal metered = costs.stream().map(TeamCost::metered).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal recomputed = costs.stream().map(TeamCost::recomputed).reduce(BigDecimal.ZERO, BigDecimal::add);
        long agreeing = costs.stream().filter(TeamCost::agreesToTheCent).count();
        return "\nCost of the run: billing metered $" + metered.toPlainString() + ", recomputed from the events $"
                + recomputed.setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString() + "; " + agreeing + " of "
                + costs.size()
                + " teams agree to the cent\n";
    }
}
