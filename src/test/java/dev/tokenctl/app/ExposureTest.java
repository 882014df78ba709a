package dev.tokenctl.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warnings for a store file that other users can reach, by its mode and its directory's. */
class ExposureTest {
    @TempDir
    Path dir;

    private Path store(String mode) throws IOException {
        Path file = dir.resolve("tokens.db");
        Files.deleteIfExists(file);
        Files.createFile(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void aFileOthersMayReadWriteOrOnlyRunIsNamedWithItsModeAndTheFix() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        String fix = "; run 'chmod 600 " + dir.resolve("tokens.db") + "')";
        assertThat(Exposure.of(store("rw-------"))).isEmpty();
        assertThat(Exposure.of(store("rw-r-----"))).containsExactly(
                "store " + dir.resolve("tokens.db") + " is readable by other users (mode rw-r-----" + fix);
        assertThat(Exposure.of(store("rw-----w-"))).containsExactly(
                "store " + dir.resolve("tokens.db") + " is writable by other users (mode rw-----w-" + fix);
        assertThat(Exposure.of(store("rw--w-r--"))).containsExactly(
                "store " + dir.resolve("tokens.db") + " is readable and writable by other users (mode rw--w-r--" + fix);
        assertThat(Exposure.of(store("rw------x"))).containsExactly(
                "store " + dir.resolve("tokens.db") + " is open to other users (mode rw------x" + fix);
    }

    @Test
    void aDirectoryOthersMayWriteToIsNamedAndASharedStickyOneIsNotToBeChanged() throws IOException {
        Path file = store("rw-------");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThat(Exposure.of(file)).containsExactly("directory " + dir + " of store " + file + " is writable by other"
                + " users, who can replace the store or plant its -wal and -shm files (mode rwxrwxr-x; run 'chmod go-w "
                + dir + "')");
        Files.setAttribute(dir, "unix:mode", 01777);
        assertThat(Exposure.of(file)).singleElement().asString().endsWith("(mode rwxrwxrwx, sticky; move the store to a"
                + " directory of your own (mode 700) and point --db or TOKENCTL_DB at it)");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        assertThat(Exposure.of(dir.resolve("missing.db"))).as("no file yet: nothing to say").isEmpty();
    }
}
