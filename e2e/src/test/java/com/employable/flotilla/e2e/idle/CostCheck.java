package com.employable.flotilla.e2e.idle;

import com.employable.flotilla.common.testsupport.TestKafka;
import com.employable.flotilla.e2e.support.CloudEventRecords;
import com.employable.flotilla.e2e.support.Platform;
import com.employable.flotilla.e2e.support.ServiceProcesses;
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
 * packaged jar against the broker, as e2e may not import billing's code): per team, to the cent.
 */
final class CostCheck {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private CostCheck() {}

    /** One team's two figures. */
    record TeamCost(String teamId, BigDecimal metered, BigDecimal recomputed) {

        boolean agreesToTheCent() {
            return metered.subtract(recomputed).abs().compareTo(new BigDecimal("0.005")) < 0;
        }
    }

    static List<TeamCost> compare(Platform platform, List<String> teams) throws IOException, InterruptedException {
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
        Map<String, BigDecimal> recomputed = recompute(Instant.now());
        return teams.stream()
                .map(team -> new TeamCost(team, metered.get(team), recomputed.getOrDefault(team, BigDecimal.ZERO)))
                .toList();
    }

    private static Map<String, BigDecimal> recompute(Instant until) throws IOException, InterruptedException {
        Process cli = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        ServiceProcesses.jar("billing-service").toString(),
                        "-Dloader.main=com.employable.flotilla.billing.reconciliation.CostRecomputationCli",
                        "org.springframework.boot.loader.launch.PropertiesLauncher",
                        "--bootstrap",
                        TestKafka.bootstrapServers(),
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

    static String markdown(List<TeamCost> costs) {
        BigDecimal metered = costs.stream().map(TeamCost::metered).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal recomputed = costs.stream().map(TeamCost::recomputed).reduce(BigDecimal.ZERO, BigDecimal::add);
        long agreeing = costs.stream().filter(TeamCost::agreesToTheCent).count();
        return "\nCost of the run: billing metered $" + metered.toPlainString() + ", recomputed from the events $"
                + recomputed.setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString() + "; " + agreeing + " of "
                + costs.size()
                + " teams agree to the cent\n";
    }
}
