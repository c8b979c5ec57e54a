package com.employable.flotilla.devstack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The platform keys of this machine's stack, generated once and kept under {@code .flotilla/} (git-ignored, owner
 * read-only) so that restarts keep every derived team credential valid. Never printed.
 *
 * @param databasePasswords each service's own database role password, by service name
 */
record Secrets(
        String gatewayKey,
        String probeKey,
        String teamDbKey,
        String jwtSecret,
        String operatorToken,
        Map<String, String> databasePasswords) {

    static Secrets loadOrCreate(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        boolean changed = false;
        List<String> keys = new ArrayList<>(List.of("gateway", "probe", "team-db", "jwt-hs256", "operator"));
        Devstack.SERVICES.forEach(service -> keys.add("db-" + service));
        for (String k : keys) {
            if (p.getProperty(k) == null) {
                p.setProperty(k, random());
                changed = true;
            }
        }
        if (changed) {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file)) {
                p.store(w, "Flotilla devstack platform keys: local only, never commit");
            }
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: nothing stronger to do
            }
        }
        Map<String, String> databasePasswords = new TreeMap<>();
        Devstack.SERVICES.forEach(service -> databasePasswords.put(service, p.getProperty("db-" + service)));
        return new Secrets(
                p.getProperty("gateway"),
                p.getProperty("probe"),
                p.getProperty("team-db"),
                p.getProperty("jwt-hs256"),
                p.getProperty("operator"),
                Map.copyOf(databasePasswords));
    }

    private static String random() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    @Override
    public String toString() {
        return "Secrets[redacted]";
    }
}
