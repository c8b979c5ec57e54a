package com.employable.flotilla.teammcp.notes;

import com.employable.flotilla.teammcp.tools.ToolArguments;
import com.employable.flotilla.teammcp.tools.ToolInputException;
import com.employable.flotilla.teammcp.tools.ToolResults;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The team's small knowledge store as MCP tools: notes_add, notes_get, notes_list, notes_search, notes_delete.
 * Every failure the caller can act on (bad input, cap reached, unknown id, no database) is a tool result with
 * {@code isError: true}, never a protocol error, so agents see the message.
 */
public final class NotesTools {

    private static final Logger log = LoggerFactory.getLogger(NotesTools.class);

    private static final String UUID_PATTERN =
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    private final NotesDatabase database;
    private final NoteStore store;

    public NotesTools(NotesDatabase database, String teamId) {
        this.database = database;
        this.store = new NoteStore(database, teamId);
    }

    public List<SyncToolSpecification> specifications() {
        return List.of(
                spec(addTool(), this::add),
                spec(getTool(), this::get),
                spec(listTool(), this::list),
                spec(searchTool(), this::search),
                spec(deleteTool(), this::delete));
    }

    private CallToolResult add(ToolArguments args) throws SQLException {
        String title = args.requiredText("title", NoteLimits.TITLE_MAX);
        String body = args.optionalString("body", NoteLimits.BODY_MAX).orElse("");
        return store.add(title, body)
                .map(note -> ToolResults.ok(Map.of("note", fullNote(note))))
                .orElseGet(() -> ToolResults.error("This team already has " + NoteLimits.NOTES_PER_TEAM
                        + " notes, the most it can keep; delete some with notes_delete first"));
    }

    private CallToolResult get(ToolArguments args) throws SQLException {
        UUID id = args.requiredUuid("id");
        return store.get(id)
                .map(note -> ToolResults.ok(Map.of("note", fullNote(note))))
                .orElseGet(() -> ToolResults.error("No note with id " + id));
    }

    private CallToolResult list(ToolArguments args) throws SQLException {
        int limit = args.optionalInt("limit", NoteLimits.LIST_DEFAULT, 1, NoteLimits.LIST_MAX);
        Optional<PageCursor> cursor = args.optionalString("cursor", 200)
                .filter(text -> !text.isBlank())
                .map(PageCursor::decode);
        NoteStore.Page page = store.list(cursor, limit);
        var result = new LinkedHashMap<String, Object>();
        result.put("notes", page.notes().stream().map(NotesTools::preview).toList());
        result.put("total", page.total());
        page.next().ifPresent(next -> result.put("nextCursor", next.encode()));
        return ToolResults.ok(result);
    }

    private CallToolResult search(ToolArguments args) throws SQLException {
        String text = args.requiredText("query", NoteLimits.QUERY_MAX);
        int limit = args.optionalInt("limit", NoteLimits.SEARCH_DEFAULT, 1, NoteLimits.SEARCH_MAX);
        SearchQuery query = SearchQuery.parse(text);
        List<Map<String, Object>> hits = store.search(query, limit).stream()
                .map(hit -> {
                    Map<String, Object> note = preview(hit.note());
                    note.put("rank", hit.rank());
                    return note;
                })
                .toList();
        var result = new LinkedHashMap<String, Object>();
        result.put("terms", query.terms());
        result.put("notes", hits);
        return ToolResults.ok(result);
    }

    private CallToolResult delete(ToolArguments args) throws SQLException {
        UUID id = args.requiredUuid("id");
        return store.delete(id)
                ? ToolResults.ok(Map.of("deleted", true, "id", id.toString()))
                : ToolResults.error("No note with id " + id);
    }

    private static Map<String, Object> fullNote(Note note) {
        var map = new LinkedHashMap<String, Object>();
        map.put("id", note.id().toString());
        map.put("title", note.title());
        map.put("body", note.body());
        map.put("createdAt", note.createdAt().toString());
        return map;
    }

    private static Map<String, Object> preview(Note note) {
        var map = new LinkedHashMap<String, Object>();
        map.put("id", note.id().toString());
        map.put("title", note.title());
        map.put("preview", note.body());
        map.put("bodyLength", note.bodyLength());
        map.put("truncated", note.truncated());
        map.put("createdAt", note.createdAt().toString());
        return map;
    }

    @FunctionalInterface
    private interface Handler {
        CallToolResult handle(ToolArguments args) throws SQLException;
    }

    private SyncToolSpecification spec(Tool tool, Handler handler) {
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> {
                    if (!database.configured()) {
                        return ToolResults.error("Notes are unavailable: no database is configured for this team's "
                                + "server (team_info still works)");
                    }
                    try {
                        return handler.handle(new ToolArguments(request.arguments()));
                    } catch (ToolInputException e) {
                        return ToolResults.error(e.getMessage());
                    } catch (NotesDatabase.TeamBindingException e) {
                        return ToolResults.error("Notes are unavailable: " + e.getMessage());
                    } catch (SQLException | RuntimeException e) {
                        log.warn("{} failed: {}", tool.name(), NotesDatabase.describe(e));
                        return ToolResults.error("Notes are temporarily unavailable (database error "
                                + NotesDatabase.describe(e) + "); try again shortly");
                    }
                })
                .build();
    }

    // ---- tool definitions: names, schemas, annotations ----

    private static Tool addTool() {
        return Tool.builder("notes_add")
                .title("Add a note")
                .description("Save a note in this team's knowledge store. Notes are shared by everyone in the team "
                        + "and visible only to it. At most " + NoteLimits.NOTES_PER_TEAM + " notes per team.")
                .inputSchema(objectSchema(
                        Map.of(
                                "title",
                                        stringSchema(
                                                "Short title, 1 to " + NoteLimits.TITLE_MAX + " characters",
                                                1,
                                                NoteLimits.TITLE_MAX),
                                "body",
                                        stringSchema(
                                                "The note's text, up to " + NoteLimits.BODY_MAX + " characters",
                                                0,
                                                NoteLimits.BODY_MAX)),
                        List.of("title")))
                .outputSchema(objectSchema(Map.of("note", noteSchema()), List.of("note")))
                .annotations(annotations("Add a note", false, false, false))
                .build();
    }

    private static Tool getTool() {
        return Tool.builder("notes_get")
                .title("Read a note")
                .description("Read one note of this team, with its whole body, by its id.")
                .inputSchema(objectSchema(Map.of("id", idSchema()), List.of("id")))
                .outputSchema(objectSchema(Map.of("note", noteSchema()), List.of("note")))
                .annotations(annotations("Read a note", true, false, true))
                .build();
    }

    private static Tool listTool() {
        return Tool.builder("notes_list")
                .title("List notes")
                .description("List this team's notes, newest first, one page at a time; each with a preview of its "
                        + "body. Pass nextCursor from a result as 'cursor' to get the following page.")
                .inputSchema(objectSchema(
                        Map.of(
                                "limit",
                                        intSchema(
                                                "Notes per page (default " + NoteLimits.LIST_DEFAULT + ")",
                                                1,
                                                NoteLimits.LIST_MAX),
                                "cursor", stringSchema("nextCursor from the previous page", 0, 200)),
                        List.of()))
                .outputSchema(objectSchema(
                        Map.of(
                                "notes", Map.of("type", "array", "items", previewSchema(false)),
                                "total", Map.of("type", "integer", "description", "Notes this team has in all"),
                                "nextCursor", Map.of("type", "string")),
                        List.of("notes", "total")))
                .annotations(annotations("List notes", true, false, true))
                .build();
    }

    private static Tool searchTool() {
        return Tool.builder("notes_search")
                .title("Search notes")
                .description("Full-text search over this team's notes (titles and bodies). Every word must match, "
                        + "as a word or the start of one ('deploy' finds 'deployment'); case is ignored. Results are "
                        + "ranked by relevance, then newest first.")
                .inputSchema(objectSchema(
                        Map.of(
                                "query", stringSchema("Words to look for", 1, NoteLimits.QUERY_MAX),
                                "limit",
                                        intSchema(
                                                "Most results to return (default " + NoteLimits.SEARCH_DEFAULT + ")",
                                                1,
                                                NoteLimits.SEARCH_MAX)),
                        List.of("query")))
                .outputSchema(objectSchema(
                        Map.of(
                                "terms",
                                        Map.of(
                                                "type",
                                                "array",
                                                "items",
                                                Map.of("type", "string"),
                                                "description",
                                                "The words searched for"),
                                "notes", Map.of("type", "array", "items", previewSchema(true))),
                        List.of("terms", "notes")))
                .annotations(annotations("Search notes", true, false, true))
                .build();
    }

    private static Tool deleteTool() {
        return Tool.builder("notes_delete")
                .title("Delete a note")
                .description("Delete one of this team's notes by its id. This cannot be undone.")
                .inputSchema(objectSchema(Map.of("id", idSchema()), List.of("id")))
                .outputSchema(objectSchema(
                        Map.of(
                                "deleted", Map.of("type", "boolean"),
                                "id", Map.of("type", "string")),
                        List.of("deleted", "id")))
                .annotations(annotations("Delete a note", false, true, true))
                .build();
    }

    private static Map<String, Object> noteSchema() {
        return objectSchema(
                Map.of(
                        "id", Map.of("type", "string"),
                        "title", Map.of("type", "string"),
                        "body", Map.of("type", "string"),
                        "createdAt", Map.of("type", "string", "description", "RFC 3339 timestamp")),
                List.of("id", "title", "body", "createdAt"));
    }

    private static Map<String, Object> previewSchema(boolean ranked) {
        var properties = new LinkedHashMap<String, Object>();
        properties.put("id", Map.of("type", "string"));
        properties.put("title", Map.of("type", "string"));
        properties.put(
                "preview",
                Map.of(
                        "type",
                        "string",
                        "description",
                        "The first " + NoteLimits.PREVIEW_CHARS + " characters of the body"));
        properties.put("bodyLength", Map.of("type", "integer"));
        properties.put(
                "truncated",
                Map.of(
                        "type",
                        "boolean",
                        "description",
                        "True when the preview is shorter than the body; read it all with notes_get"));
        properties.put("createdAt", Map.of("type", "string"));
        var required = new ArrayList<>(List.of("id", "title", "preview", "bodyLength", "truncated", "createdAt"));
        if (ranked) {
            properties.put("rank", Map.of("type", "number"));
            required.add("rank");
        }
        return objectSchema(properties, required);
    }

    private static Map<String, Object> objectSchema(Map<String, Object> properties, List<String> required) {
        var schema = new LinkedHashMap<String, Object>();
        schema.put("type", "object");
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    private static Map<String, Object> stringSchema(String description, int minLength, int maxLength) {
        var schema = new LinkedHashMap<String, Object>();
        schema.put("type", "string");
        schema.put("description", description);
        if (minLength > 0) {
            schema.put("minLength", minLength);
        }
        schema.put("maxLength", maxLength);
        return schema;
    }

    private static Map<String, Object> intSchema(String description, int minimum, int maximum) {
        return Map.of("type", "integer", "description", description, "minimum", minimum, "maximum", maximum);
    }

    private static Map<String, Object> idSchema() {
        return Map.of(
                "type",
                "string",
                "description",
                "The note's id, as returned by notes_add or notes_list",
                "pattern",
                UUID_PATTERN);
    }

    private static ToolAnnotations annotations(
            String title, boolean readOnly, boolean destructive, boolean idempotent) {
        return new ToolAnnotations(title, readOnly, destructive, idempotent, false, null);
    }

    /** Exposed for team_info, which reports the limits without touching the database. */
    public static Map<String, Object> limits() {
        var limits = new LinkedHashMap<String, Object>();
        limits.put("notesPerTeam", NoteLimits.NOTES_PER_TEAM);
        limits.put("titleMaxChars", NoteLimits.TITLE_MAX);
        limits.put("bodyMaxChars", NoteLimits.BODY_MAX);
        return limits;
    }
}
