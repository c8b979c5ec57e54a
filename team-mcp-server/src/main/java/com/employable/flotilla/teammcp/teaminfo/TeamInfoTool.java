package com.employable.flotilla.teammcp.teaminfo;

import com.employable.flotilla.teammcp.BuildInfo;
import com.employable.flotilla.teammcp.ServerConfig;
import com.employable.flotilla.teammcp.auth.Principal;
import com.employable.flotilla.teammcp.notes.NotesTools;
import com.employable.flotilla.teammcp.tools.ToolResults;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * "Who am I": the team this server belongs to, the server's version, where it runs (Fly region, machine, app,
 * image) and who is calling. Needs no database, so it answers even when notes cannot.
 */
public final class TeamInfoTool {

    private final ServerConfig config;
    private final boolean notesDatabaseConfigured;

    public TeamInfoTool(ServerConfig config, boolean notesDatabaseConfigured) {
        this.config = config;
        this.notesDatabaseConfigured = notesDatabaseConfigured;
    }

    public SyncToolSpecification specification() {
        return SyncToolSpecification.builder()
                .tool(tool())
                .callHandler((exchange, request) -> call(exchange))
                .build();
    }

    private CallToolResult call(McpSyncServerExchange exchange) {
        var result = new LinkedHashMap<String, Object>();
        result.put("teamId", config.teamId());
        result.put("server", Map.of("name", BuildInfo.NAME, "version", BuildInfo.version()));
        var fly = new LinkedHashMap<String, Object>();
        putIfPresent(fly, "region", config.fly().region());
        putIfPresent(fly, "machineId", config.fly().machineId());
        putIfPresent(fly, "app", config.fly().appName());
        putIfPresent(fly, "imageRef", config.fly().imageRef());
        result.put("fly", fly);
        Object principal = exchange.transportContext().get(Principal.ATTRIBUTE);
        if (principal instanceof Principal caller) {
            result.put("caller", Map.of("kind", caller.kind().name().toLowerCase(), "subject", caller.subject()));
        }
        var notes = new LinkedHashMap<String, Object>();
        notes.put("available", notesDatabaseConfigured);
        notes.put("limits", NotesTools.limits());
        result.put("notes", notes);
        return ToolResults.ok(result);
    }

    private static void putIfPresent(Map<String, Object> map, String key, Optional<String> value) {
        value.ifPresent(v -> map.put(key, v));
    }

    private static Tool tool() {
        Map<String, Object> str = Map.of("type", "string");
        var flyProperties = new LinkedHashMap<String, Object>();
        flyProperties.put("region", str);
        flyProperties.put("machineId", str);
        flyProperties.put("app", str);
        flyProperties.put("imageRef", str);
        Map<String, Object> output = Map.of(
                "type", "object",
                "properties",
                        Map.of(
                                "teamId", str,
                                "server",
                                        Map.of(
                                                "type",
                                                "object",
                                                "properties",
                                                Map.of("name", str, "version", str),
                                                "required",
                                                List.of("name", "version")),
                                "fly",
                                        Map.of(
                                                "type",
                                                "object",
                                                "properties",
                                                flyProperties,
                                                "description",
                                                "Where this server runs; empty when not on Fly"),
                                "caller", Map.of("type", "object", "properties", Map.of("kind", str, "subject", str)),
                                "notes",
                                        Map.of(
                                                "type",
                                                "object",
                                                "properties",
                                                Map.of(
                                                        "available",
                                                                Map.of(
                                                                        "type",
                                                                        "boolean",
                                                                        "description",
                                                                        "False when no notes database is configured"),
                                                        "limits", Map.of("type", "object")))),
                "required", List.of("teamId", "server", "fly", "notes"));
        return Tool.builder("team_info")
                .title("Team info")
                .description("Who am I: this MCP server's team id, server version, where it runs (Fly region, "
                        + "machine id, app) and who is calling. Call it to confirm which team's data you are using.")
                .inputSchema(Map.of("type", "object", "properties", Map.of(), "additionalProperties", false))
                .outputSchema(output)
                .annotations(new ToolAnnotations("Team info", true, false, true, false, null))
                .build();
    }
}
