package dev.tokenctl.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tokenctl.core.TokenctlException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files --access-log writes to: a new one, or one of this user's that no one else may read or write. */
class AccessLogTest {
    @TempDir
    Path dir;

    private final PrintWriter stdout = new PrintWriter(new StringWriter());

    private Path existing(String name, String mode) throws Exception {
        Path file = Files.writeString(dir.resolve(name), "earlier\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
    }

    private static long uid(Path file) throws Exception {
        return ((Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    @Test
    void aNewFileIsMadeForTheOwnerAlone() throws Exception {
        Path file = dir.resolve("access.log");
        try (AccessLog log = AccessLog.open(file.toString(), stdout)) {
            log.write(line());
        }
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(Files.readAllLines(file)).singleElement().asString().startsWith("{\"time\":");
    }

    @Test
    void anExistingFileOfTheOwnerAloneIsAppendedTo() throws Exception {
        Path file = existing("access.log", "rw-------");
        try (AccessLog log = AccessLog.open(file.toString(), stdout)) {
            log.write(line());
        }
        assertThat(Files.readAllLines(file)).hasSize(2).first().isEqualTo("earlier");
        assertThat(Files.readAllLines(file).get(1)).startsWith("{\"time\":");
        assertThat(mode(file)).isEqualTo("rw-------");
    }

    @Test
    void aFileOthersMayReadOrWriteIsRefusedAndLeftAsItWas() throws Exception {
        String[][] modes = {{"rw-rw-rw-", "0666"}, {"rw-r-----", "0640"}, {"rw-----w-", "0602"}, {"rw--w----", "0620"},
            {"rw----r--", "0604"}};
        for (String[] mode : modes) {
            Path file = existing(mode[1] + ".log", mode[0]);
            assertThatThrownBy(() -> AccessLog.open(file.toString(), stdout)).as(mode[1]).isInstanceOf(TokenctlException.class)
                    .hasMessage("--access-log " + file + " can be read or written by others (mode " + mode[1]
                            + "; chmod 600 " + file + ", or give a new file)");
            assertThat(Files.readString(file)).isEqualTo("earlier\n");
            assertThat(mode(file)).isEqualTo(mode[0]);
        }
        Path executable = existing("executable.log", "rwx--x--x");
        AccessLog.open(executable.toString(), stdout).close();
    }

    @Test
    void anotherUsersFileIsRefused() throws Exception {
        Path file = existing("access.log", "rw-------");
        assertThatThrownBy(() -> AccessLog.open(file.toString(), uid(file) + 1)).isInstanceOf(TokenctlException.class)
                .hasMessage("--access-log " + file + " belongs to another user (give a file of your own, or a new file)");
        assertThat(Files.readString(file)).isEqualTo("earlier\n");
        AccessLog.open(file.toString(), uid(file)).close();
    }

    @Test
    void aSymbolicLinkIsNeverFollowed() throws Exception {
        Path file = existing("access.log", "rw-------");
        Path link = Files.createSymbolicLink(dir.resolve("link.log"), file);
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.log"), dir.resolve("missing.log"));
        for (Path refused : new Path[] {link, dangling}) {
            assertThatThrownBy(() -> AccessLog.open(refused.toString(), stdout)).isInstanceOf(TokenctlException.class)
                    .hasMessage("--access-log " + refused + " is a symbolic link, which is never followed (give the file it names)");
        }
        assertThat(Files.readString(file)).isEqualTo("earlier\n");
        assertThat(dir.resolve("missing.log")).doesNotExist();
    }

    @Test
    void onlyARegularFileIsOpenedSoThatAFifoNeverWaits() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).redirectErrorStream(true).start();
        assertThat(mkfifo.waitFor()).as(new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        Path directory = Files.createDirectory(dir.resolve("directory"));
        for (Path notAFile : new Path[] {fifo, directory, Path.of("/dev/null")}) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                    assertThatThrownBy(() -> AccessLog.open(notAFile.toString(), stdout)).isInstanceOf(TokenctlException.class)
                            .hasMessage("--access-log " + notAFile + " is not a regular file (give a file, or - for stdout)"),
                    notAFile.toString());
        }
    }

    @Test
    void aFileThatCannotBeMadeIsRefusedInOneLine() {
        Path inMissing = dir.resolve("missing").resolve("access.log");
        assertThatThrownBy(() -> AccessLog.open(inMissing.toString(), stdout)).isInstanceOf(TokenctlException.class)
                .hasMessageStartingWith("--access-log " + inMissing + " cannot be opened: ")
                .hasMessageEndingWith(" (give a writable file, or - for stdout)");
        assertThatThrownBy(() -> AccessLog.open("a\u0000b", stdout)).isInstanceOf(TokenctlException.class)
                .hasMessageStartingWith("--access-log a\\u0000b cannot be opened: ");
    }

    private static AccessLog.Line line() {
        return new AccessLog.Line("2026-12-02T00:00:00Z", "127.0.0.1", "10.1.2.3", "authz", 200, "allow", "valid",
                "tctl_0123456789abcdef", null, 1.5);
    }
}
