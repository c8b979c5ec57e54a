package com.employable.flotilla.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The claim's identity write, run by a real shell as Fly's exec runs it: its standard input lands whole in the file,
 * readable by its owner only (who, when root writes it, is the owner of its directory), with no temporary file left,
 * and a path with spaces is one argument.
 */
class WarmClaimCommandTest {

    @TempDir
    Path dir;

    @Test
    void theIdentityIsWrittenWholeForItsOwnerOnly() throws Exception {
        Path file = dir.resolve("identity dir").resolve("identity");
        Files.createDirectories(file.getParent());
        String identity = "FLOTILLA_TEAM_ID=acme\nFLOTILLA_TEAM_TOKEN_KEY=k\n";

        var command = new ArrayList<>(WarmClaim.writeCommand(file.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(identity.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue())
                .as(new String(process.getInputStream().readAllBytes()))
                .isZero();
        assertThat(Files.readString(file)).isEqualTo(identity);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Files.getOwner(file)).isEqualTo(Files.getOwner(file.getParent()));
        try (var left = Files.list(file.getParent())) {
            assertThat(left).containsExactly(file);
        }
    }

    /** As on Fly: exec runs as root, the server as its image's user, who owns the identity's directory. */
    @Test
    void writtenAsRootTheFileBelongsToTheOwnerOfItsDirectory() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a file away");
        Path owned = Files.createDirectories(dir.resolve("server"));
        var nobody = owned.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(owned, nobody);
        Path file = owned.resolve("identity");

        Process process = new ProcessBuilder(WarmClaim.writeCommand(file.toString())).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write("FLOTILLA_TEAM_ID=acme\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isZero();
        assertThat(Files.getOwner(file)).isEqualTo(nobody);
    }
}
