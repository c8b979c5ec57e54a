package com.employable.flotilla.registry.api;

import com.employable.flotilla.common.events.Require;
import com.employable.flotilla.registry.auth.Agent;
import com.employable.flotilla.registry.discovery.ServerDirectory;
import com.employable.flotilla.registry.system.Problems;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Where a team's MCP server is, for the team's own members and for operators. */
@RestController
class TeamServerResource {

    private final ServerDirectory directory;

    private final McpClients clients;

    TeamServerResource(ServerDirectory directory, McpClients clients) {
        this.directory = directory;
        this.clients = clients;
    }

    @GetMapping("/v1/teams/{teamId}/server")
    ResponseEntity<ServerDetails> server(@PathVariable String teamId, Agent agent, HttpServletRequest request) {
        // decided from the token alone, before any lookup: another team's id gets the same 403 whether it exists
        if (!agent.mayRead(teamId)) {
            throw Problems.notYourTeam();
        }
        if (!Require.isTeamId(teamId)) {
            throw Problems.badRequest("a team id is 1-40 characters of a-z 0-9 - or a UUID");
        }
        var server = directory.find(teamId).orElseThrow(() -> Problems.noServer(teamId));
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .eTag("\"" + server.version() + "\"")
                .body(ServerDetails.of(server, clients.forServer(server, request)));
    }
}
