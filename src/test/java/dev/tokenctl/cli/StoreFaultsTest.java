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
            assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=1m,mode=700", "tmpfs", mount.toString()), "cannot mount here");
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
        assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=1m,mode=700", "tmpfs", mount.toString()), "cannot mount here");
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

    @Test
    void aStoreOthersCanWriteIsWarnedAboutAndStdoutStaysData() throws Exception {
        cli.create("seed");
        String json = cli.ok("token", "list", "-o", "json").out();
        for (String mode : new String[] {"rw--w--w-", "rw-----w-", "rw--w----", "rw---x---"}) {
            Files.setPosixFilePermissions(cli.db, PosixFilePermissions.fromString(mode));
            CliRunner.Result r = cli.run("token", "list", "-o", "json");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).as(mode).isEqualTo(json);
            assertThat(r.err()).as(mode).hasLineCount(1).startsWith("tokenctl: warning: store " + cli.db + " is ")
                    .contains("other users (mode " + mode + "; run 'chmod 600 " + cli.db + "')");
        }
        Files.setPosixFilePermissions(cli.db, PosixFilePermissions.fromString("rw--w--w-"));
        assertThat(cli.run("token", "list").err()).contains(" is writable by other users ");
        Files.setPosixFilePermissions(cli.db, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(cli.run("token", "list").err()).contains(" is readable and writable by other users ");
        Files.setPosixFilePermissions(cli.db, PosixFilePermissions.fromString("rw-------"));
        assertThat(cli.ok("token", "list").err()).isEmpty();
    }

    @Test
    void aStoreInADirectoryOthersCanWriteIsWarnedAboutStickyOrNot() throws Exception {
        cli.create("seed");
        Path store = cli.db.getParent();
        for (String mode : new String[] {"rwxrwxrwx", "rwx-w----", "rwx----wx"}) {
            Files.setPosixFilePermissions(store, PosixFilePermissions.fromString(mode));
            CliRunner.Result r = cli.run("token", "list", "-o", "json");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).startsWith("[");
            assertThat(r.err()).as(mode).isEqualTo("tokenctl: warning: directory " + store + " of store " + cli.db
                    + " is writable by other users, who can replace the store or plant its -wal and -shm files (mode " + mode
                    + "; run 'chmod go-w " + store + "')\n");
        }
        // As /tmp is: sticky, writable by all; others cannot replace the store there, but can plant its -wal file.
        assertThat(sh("chmod", "1777", store.toString())).isTrue();
        Files.setPosixFilePermissions(cli.db, PosixFilePermissions.fromString("rw-r--r--"));
        CliRunner.Result both = cli.run("token", "list");
        assertThat(both.code()).isZero();
        assertThat(both.err().lines()).hasSize(2).containsExactly(
                "tokenctl: warning: store " + cli.db + " is readable by other users (mode rw-r--r--; run 'chmod 600 " + cli.db + "')",
                "tokenctl: warning: directory " + store + " of store " + cli.db + " is writable by other users, who can"
                        + " replace the store or plant its -wal and -shm files (mode rwxrwxrwx, sticky; move the store to"
                        + " a directory of your own (mode 700) and point --db or TOKENCTL_DB at it)");
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(cli.db, PosixFilePermissions.fromString("rw-------"));
        assertThat(cli.ok("token", "list").err()).isEmpty();
    }

    @Test
    void warningsShowTheStorePathEscapedAndNeverATokenPastedIntoIt() throws Exception {
        String token = cli.create("seed");
        Path odd = dir.resolve("a\u001b[31mb").resolve(token).resolve("tokens.db");
        cli.env.put("TOKENCTL_DB", odd.toString());
        cli.create("other");
        Files.setPosixFilePermissions(odd, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(odd.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        CliRunner.Result r = cli.run("token", "list");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err().lines()).as(r.toString()).hasSize(2)
                .allMatch(line -> line.startsWith("tokenctl: warning: ") && line.contains(dir + "/a\\u001b[31mb/"));
        assertThat(r.err()).doesNotContain("\u001b", token.substring(token.indexOf('~')));
    }

    @Test
    void errorsShowTheStorePathEscapedAndNeverATokenPastedIntoIt() throws Exception {
        String token = cli.create("seed");
        Path odd = Files.createDirectories(dir.resolve("a\u001b[31mb").resolve(token)).resolve("tokens.db");
        Files.writeString(odd, "this is not a database, just text that is long enough to have a header".repeat(20));
        cli.env.put("TOKENCTL_DB", odd.toString());
        CliRunner.Result notSqlite = cli.run("token", "list");
        assertStoreError(notSqlite, "/a\\u001b[31mb/", "is not a tokenctl store");
        assertThat(notSqlite.err()).doesNotContain("\u001b", token.substring(token.indexOf('~')));

        Files.delete(odd);
        cli.create("newer");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + odd); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = 99");
        }
        CliRunner.Result newer = cli.run("token", "list");
        assertStoreError(newer, "/a\\u001b[31mb/", "newer tokenctl");
        assertThat(newer.err()).doesNotContain("\u001b", token.substring(token.indexOf('~')));
    }
}
