package com.employable.flotilla.teammcp.support;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The Node tools the test command installs (Node 22, the MCP conformance suite, the Inspector CLI). Without them a
 * developer's run skips these tests; the test command sets {@code flotilla.require-tools=true}, so CI fails instead.
 */
public final class NodeTools {

    private NodeTools() {}

    public static Path toolsDir() {
        Path dir = Path.of(System.getProperty("flotilla.tools.dir", "../tools"))
                .toAbsolutePath()
                .normalize();
        Path node = dir.resolve("node_modules/.bin/node");
        boolean required = Boolean.getBoolean("flotilla.require-tools");
        if (!Files.isExecutable(node)) {
            String message = "Node tools not installed in " + dir + " (run ./flotilla test, or npm ci in tools/)";
            if (required) {
                throw new IllegalStateException(message);
            }
            Assumptions.abort(message);
        }
        return dir;
    }

    public static Path node(Path toolsDir) {
        return toolsDir.resolve("node_modules/.bin/node");
    }

    public static Path packageFile(Path toolsDir, String packageName, String file) {
        return toolsDir.resolve("node_modules").resolve(packageName).resolve(file);
    }
}
