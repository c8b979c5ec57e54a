package com.employable.flotilla.registry.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.common.events.registry.ServerStatus;
import com.employable.flotilla.registry.support.Publish;
import com.employable.flotilla.registry.support.RecordingServer;
import com.employable.flotilla.registry.support.RegistryIntegrationTest;
import com.employable.flotilla.registry.support.TeamFront;
import com.employable.flotilla.registry.support.TestTokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Lookups (the gateway's, the API's) are served from each instance's in-memory view of the table, kept in step by
 * the table's change notifications: a change is visible to the gateway and the API once its event is applied, a
 * deleted team is gone, every instance sees every team whoever wrote it, and a view that lost its connection catches
 * up with what changed meanwhile.
 */
class RegistryViewIT extends RegistryIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";

    @LocalServerPort
    int port;

    @Autowired
    ServerDirectory directory;

    @Autowired
    DataSource dataSource;

    @Autowired
    TeamServerTable table;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aChangeReachesTheGatewayAndTheApiAfterItsEventAndADeletedTeamIsGone() throws Exception {
        String team = newTeam("view");
        var events = new ServerEvents(team);
        try (var server = RecordingServer.ok()) {
            TeamFront.route(team, TeamFront.proxyTo(server.port()));
            assertThat(gateway(team).statusCode()).as("unknown so far").isEqualTo(404);

            Publish.events(events.provisioned(1, 1, "m1"), events.health("m1", HealthStatus.HEALTHY, 2));
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway(team).statusCode() == 200);
            assertThat(server.received()).hasSize(1);
            HttpResponse<String> read = api(team, TestTokens.forTeam(team));
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).contains("\"status\":\"ready\"").contains("\"app\":\"flotilla-team-" + team + "\"");

            Publish.events(events.machine("m1", "started", "suspended", 30));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> api(team, TestTokens.forTeam(team)).body().contains("\"status\":\"idle\""));

            Publish.events(events.suspended(2, 40));
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway(team).statusCode() == 403);

            Publish.events(events.deprovisioned(3, 50));
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway(team).statusCode() == 404);
            assertThat(gateway(team).body()).contains("problem/no-server");
            assertThat(api(team, TestTokens.forTeam(team)).statusCode()).isEqualTo(404);
            assertThat(directory.find(team)).isEmpty();
            assertThat(server.received())
                    .as("only the request made while it was ready")
                    .hasSize(1);
        }
    }

    @Test
    void theAuthorizationChecksAreTheSameAsBefore() throws Exception {
        String team = newTeam("view-auth");
        var events = new ServerEvents(team);
        Publish.events(events.provisioned(1, 1, "m1"), events.health("m1", HealthStatus.HEALTHY, 2));
        await().atMost(Duration.ofSeconds(30)).until(() -> status(directory, team) == ServerStatus.READY);

        assertThat(api(team, null).statusCode()).isEqualTo(401);
        HttpResponse<String> foreign = api(team, TestTokens.forTeam("someone-else"));
        HttpResponse<String> foreignForAbsent = api(newTeam("absent"), TestTokens.forTeam("someone-else"));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreignForAbsent.statusCode()).isEqualTo(403);
        // the same answer whether or not the team exists
        assertThat(foreign.body()).contains("the token does not grant access to this team");
        assertThat(foreignForAbsent.body()).contains("the token does not grant access to this team");
        assertThat(api(team, TestTokens.admin()).statusCode()).isEqualTo(200);
        assertThat(list("status=ready&size=500", TestTokens.forTeam(team)).statusCode())
                .as("listing needs the operator role")
                .isEqualTo(403);
        assertThat(list("status=ready&size=500", TestTokens.admin()).body()).contains("\"teamId\":\"" + team + "\"");
        assertThat(list("status=idle&size=500", TestTokens.admin()).body()).doesNotContain(team);
    }

    @Test
    void anotherInstanceSeesEveryTeamAndCatchesUpAfterLosingItsConnection() throws Exception {
        String team = newTeam("view-peer");
        var events = new ServerEvents(team);
        var peerView = new RegistryView();
        var peer = new TableFollower(dataSource, table, peerView, new SimpleMeterRegistry());
        try {
            peer.afterPropertiesSet();
            Publish.events(events.provisioned(1, 1, "m1"), events.health("m1", HealthStatus.HEALTHY, 2));
            await().atMost(Duration.ofSeconds(30)).until(() -> status(peerView, team) == ServerStatus.READY);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> peerView.find(team).equals(directory.find(team)));

            // the peer's database session ends (a failover, a restart): changes made meanwhile are not announced to it
            int pid = peer.backendPid();
            assertThat(jdbc.sql("select pg_terminate_backend(?)")
                            .param(pid)
                            .query(Boolean.class)
                            .single())
                    .isTrue();
            Publish.events(events.machine("m1", "started", "stopped", 30));

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> status(peerView, team) == ServerStatus.IDLE && peer.backendPid() != pid);
            Publish.events(events.deprovisioned(2, 40));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> peerView.find(team).isEmpty());
        } finally {
            peer.destroy();
        }
    }

    private static ServerStatus status(RegistryView view, String team) {
        return status(view.find(team));
    }

    private static ServerStatus status(ServerDirectory directory, String team) {
        return status(directory.find(team));
    }

    private static ServerStatus status(Optional<RegisteredServer> server) {
        return server.map(s -> s.view().status()).orElse(null);
    }

    private HttpResponse<String> gateway(String team) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + team + "/mcp"))
                        .header("Authorization", "Bearer " + TestTokens.forTeam(team))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(PING))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> api(String team, String token) throws Exception {
        return get("/v1/teams/" + team + "/server", token);
    }

    private HttpResponse<String> list(String query, String token) throws Exception {
        return get("/v1/servers?" + query, token);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
