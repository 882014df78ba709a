package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a store can fail ends in one clear line, exit 6, and nothing half-written. */
class StoreFaultsTest {
    static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @TempDir
    Path dir;
    CliRunner cli;
    final List<String[]> cleanup = new ArrayList<>();

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir);
    }

    @AfterEach
    void undo() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            sh(cleanup.get(i));
        }
    }

    static boolean sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    private void assertStoreError(CliRunner.Result r, String... fragments) {
        assertThat(r.code()).as(r.toString()).isEqualTo(6);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).as(r.toString()).startsWith("tokenctl: error: store ").hasLineCount(1)
                .doesNotContain("\tat ", "Exception");
        for (String fragment : fragments) {
            assertThat(r.err()).contains(fragment);
        }
    }


    private CliRunner.Result createAnother(String name) {
        return cli.run("token", "create", "--name", name, "--permission", "ReadHealthCheck", "--no-expiry");
    }

    @Test
    void aMissingDirectoryIsCreated() {
        cli.env.put("TOKENCTL_DB", dir.resolve("a/b/c/tokens.db").toString());
        assertThat(createAnother("x").code()).isZero();
        assertThat(dir.resolve("a/b/c/tokens.db")).exists();
    }

    @Test
    void aReadOnlyFileIsAStoreError() throws Exception {
        cli.create("seed");
        if (ROOT) {
            assumeTrue(sh("chattr", "+i", cli.db.toString()), "chattr +i not supported here");
            cleanup.add(new String[] {"chattr", "-i", cli.db.toString()});
        } else {
            Files.setPosixFilePermissions(cli.db, PosixFilePermissions.fromString("r--------"));
        }
        String before = cli.snapshot();
        assertStoreError(createAnother("x"), "read-only");
        assertThat(cli.snapshot()).isEqualTo(before);
    }

    @Test
    void aReadOnlyDirectoryIsAStoreError() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("ro"));
        if (ROOT) {
            assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString()), "cannot mount here");
            cleanup.add(new String[] {"umount", mount.toString()});
        }
        cli.env.put("TOKENCTL_DB", mount.resolve("tokens.db").toString());
        cli.create("seed");
        if (ROOT) {
            assertThat(sh("mount", "-o", "remount,ro", mount.toString())).isTrue();
        } else {
            Files.setPosixFilePermissions(mount, PosixFilePermissions.fromString("r-x------"));
        }
        byte[] before = Files.readAllBytes(mount.resolve("tokens.db"));
        CliRunner.Result r = createAnother("x");
        assertStoreError(r);
        assertThat(r.err()).containsAnyOf("read-only", "cannot open");
        assertThat(Files.readAllBytes(mount.resolve("tokens.db"))).isEqualTo(before);
    }

    @Test
    void aTruncatedStoreIsAStoreError() throws Exception {
        for (int i = 0; i < 50; i++) {
            cli.create("t" + i);
        }
        cli.run("token", "list");
        long size = Files.size(cli.db);
        try (RandomAccessFile file = new RandomAccessFile(cli.db.toFile(), "rw")) {
            file.setLength(size / 3);
        }
        assertStoreError(cli.run("token", "list"));
        assertStoreError(createAnother("x"));
    }

    @Test
    void aStoreLockedPastTheTimeoutIsAStoreError() throws Exception {
        cli.create("seed");
        cli.env.put("TOKENCTL_LOCK_TIMEOUT", "1s");
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + cli.db);
             Statement s = holder.createStatement()) {
            s.execute("PRAGMA busy_timeout = 0");
            s.execute("BEGIN EXCLUSIVE");
            long start = System.nanoTime();
            CliRunner.Result r = createAnother("x");
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertStoreError(r, "locked by another process", "1.0s");
            assertThat(waitedMs).isBetween(900L, 5000L);
            s.execute("ROLLBACK");
        }
        assertThat(createAnother("x").code()).isZero();
        assertThat(Engine.SQLITE.integrity(cli.db.toString())).isEqualTo("ok");
    }

    @Test
    void aFullDiskIsAStoreErrorAndLosesNothingAlreadyPrinted() throws Exception {
        assumeTrue(ROOT, "needs root to mount a small file system");
        Path mount = Files.createDirectories(dir.resolve("small"));
        assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString()), "cannot mount here");
        cleanup.add(new String[] {"umount", mount.toString()});
        Path db = mount.resolve("tokens.db");
        cli.env.put("TOKENCTL_DB", db.toString());
        cli.create("seed");
        // Fill the rest of the file system, then create until the store cannot grow.
        try (var out = Files.newOutputStream(mount.resolve("filler"))) {
            byte[] block = new byte[4096];
            try {
                while (true) {
                    out.write(block);
                }
            } catch (IOException full) {
                // The file system is full now.
            }
        }
        // Leave room for a few tokens, so some are printed before the disk fills.
        try (RandomAccessFile filler = new RandomAccessFile(mount.resolve("filler").toFile(), "rw")) {
            filler.setLength(Math.max(0, filler.length() - 256 * 1024));
        }
        List<String> printed = new ArrayList<>();
        CliRunner.Result last = null;
        for (int i = 0; i < 2000; i++) {
            last = cli.run("token", "create", "--name", "t" + i + "-" + "x".repeat(200), "--permission",
                    "ReadHealthCheck", "--no-expiry", "--description", "d".repeat(900));
            if (last.code() != 0) {
                break;
            }
            printed.add(last.line());
        }
        assertStoreError(last, "disk is full");
        assertThat(printed).isNotEmpty();
        Files.delete(mount.resolve("filler"));
        assertThat(Engine.SQLITE.integrity(db.toString())).isEqualTo("ok");
        CliRunner.Result verify = cli.runWithInput(String.join("\n", printed) + "\n", "token", "verify", "--batch");
        assertThat(verify.code()).as(verify.toString()).isZero();
        assertThat(verify.out().lines()).hasSize(printed.size()).allMatch(l -> l.startsWith("valid "));
    }

    @Test
    void aStoreReadableByOthersIsWarnedAbout() throws Exception {
        cli.create("seed");
        Files.setPosixFilePermissions(cli.db, PosixFilePermissions.fromString("rw-r--r--"));
        CliRunner.Result r = cli.run("token", "list");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEqualTo("tokenctl: warning: store " + cli.db + " is readable by other users (mode rw-r--r--;"
                + " run 'chmod 600 " + cli.db + "')\n");
    }
}
