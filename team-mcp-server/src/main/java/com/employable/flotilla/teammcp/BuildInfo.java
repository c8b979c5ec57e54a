package com.employable.flotilla.teammcp;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The server's own version, from a resource Maven fills in at build time. */
public final class BuildInfo {

    public static final String NAME = "flotilla-team-mcp-server";

    private static final String VERSION = load();

    private BuildInfo() {}

    public static String version() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/team-mcp-server.properties")) {
            if (in == null) {
                return "unknown";
            }
            var properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
