package com.employable.flotilla.localfly.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which local command a machine's image runs: {@code LOCAL_FLY_IMAGE_MAP} as {@code prefix=command;prefix=command}
 * (the longest matching prefix wins; the command is split on spaces), and by default every image whose repository
 * name contains {@code team-mcp-server} runs {@code $LOCAL_FLY_TEAM_SERVER_JAR} the way the image runs it
 * ({@link TeamServerLaunch}).
 */
public final class ImageMap {

    private final Map<String, List<String>> commands = new LinkedHashMap<>();
    private final Optional<Path> teamServerJar;
    private final String java;

    public ImageMap(String configured, Optional<Path> teamServerJar, String java) {
        this.teamServerJar = teamServerJar;
        this.java = java;
        if (configured != null && !configured.isBlank()) {
            for (String entry : configured.split(";")) {
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("LOCAL_FLY_IMAGE_MAP entry needs prefix=command: " + entry);
                }
                String prefix = entry.substring(0, eq).trim().replaceAll("[:*]+$", "");
                commands.put(
                        prefix,
                        Arrays.stream(entry.substring(eq + 1).trim().split("\\s+"))
                                .toList());
            }
        }
    }

    /** Trains the team server's AOT cache now, in the background, so the first machine does not wait for it. */
    public void prepare() {
        teamServerJar.ifPresent(
                jar -> Thread.ofVirtual().name("team-server-aot").start(() -> TeamServerLaunch.command(java, jar)));
    }

    public Optional<List<String>> command(String image) {
        String best = null;
        for (String prefix : commands.keySet()) {
            if (image.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        if (best != null) {
            return Optional.of(new ArrayList<>(commands.get(best)));
        }
        String repository = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        if (repository.contains("team-mcp-server") && teamServerJar.isPresent()) {
            return Optional.of(TeamServerLaunch.command(java, teamServerJar.get()));
        }
        return Optional.empty();
    }
}
