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
     * The largest difference that still agrees in a short run: the two figures are read a few seconds apart while
     * machines run, and billing rounds each hourly line to the micro-dollar. 20 micro-dollars is about half a minute
     * of the smallest plan's machine running, far less than one machine's whole chaos run.
     */
    static final BigDecimal TOLERANCE = new BigDecimal("0.000020");

    /** One team's two figures. */
    public record TeamCost(String teamId, BigDecimal metered, BigDecimal recomputed) {

        public boolean agreesToTheCent() {
            return difference().compareTo(new BigDecimal("0.005")) < 0;
        }

        public boolean agreesWithinTolerance() {
            return difference().compareTo(TOLERANCE) <= 0;
        }

        public BigDecimal difference() {
            return metered.subtract(recomputed).abs();
        }
    }

    /** Reads billing's figures first, then recomputes up to that moment from the broker's events. */
    public static List<TeamCost> compare(Platform platform, String bootstrapServers, List<String> teams)
            throws IOException, InterruptedException {
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
        Map<String, BigDecimal> recomputed = recompute(bootstrapServers, Instant.now());
        return teams.stream()
                .map(team -> new TeamCost(team, metered.get(team), recomputed.getOrDefault(team, BigDecimal.ZERO)))
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
