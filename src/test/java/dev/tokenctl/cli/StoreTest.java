package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    @TempDir
    Path dir;
    CliRunner cli;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir);
    }

    @Test
    void storeAndDirectoryAreCreatedPrivateOnFirstUse() throws Exception {
        cli.create("ci");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.db.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.db))).isEqualTo("rw-------");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + cli.db); Statement s = c.createStatement()) {
            ResultSet mode = s.executeQuery("PRAGMA journal_mode");
            assertThat(mode.getString(1)).isEqualTo("wal");
            ResultSet version = s.executeQuery("PRAGMA user_version");
            assertThat(version.getInt(1)).isPositive();
        }
    }

    @Test
    void anSqliteUrlMeansTheFileAndAnUnknownSchemeIsRefused() throws Exception {
        cli.env.put("TOKENCTL_DB", "sqlite:" + dir.resolve("a.db"));
        cli.create("one");
        cli.env.put("TOKENCTL_DB", "sqlite://" + dir.resolve("b.db"));
        cli.create("two");
        assertThat(dir.resolve("a.db")).exists();
        assertThat(dir.resolve("b.db")).exists();
        assertThat(cli.ok("--db", dir.resolve("a.db").toString(), "token", "list").out()).contains("one").doesNotContain("two");
        CliRunner.Result r = cli.run("--db", "mysql://db.example.com/tokens", "token", "list");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("tokenctl: error: store URL 'mysql://db.example.com/tokens' has an unknown scheme"
                + " (use a file path, sqlite:PATH or postgresql://user@host:5432/dbname)\n");
    }

    @Test
    void defaultLocationFollowsXdgDataHomeThenHome() throws Exception {
        cli.env.remove("TOKENCTL_DB");
        cli.run("permissions", "list");
        assertThat(cli.run("token", "list").code()).isZero();
        assertThat(dir.resolve(".local/share/tokenctl/tokens.db")).exists();
        cli.env.put("XDG_DATA_HOME", dir.resolve("xdg").toString());
        cli.run("token", "list");
        assertThat(dir.resolve("xdg/tokenctl/tokens.db")).exists();
    }

    @Test
    void aStoreFromANewerTokenctlIsRefused() throws Exception {
        cli.create("ci");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + cli.db); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = 99");
        }
        CliRunner.Result r = cli.run("token", "list");
        assertThat(r.code()).isEqualTo(6);
        assertThat(r.err()).contains("newer tokenctl", "schema version 99", "upgrade tokenctl").doesNotContain("\tat ");
    }

    @Test
    void aFileThatIsNotAStoreIsRefused() throws Exception {
        Files.createDirectories(cli.db.getParent());
        Files.writeString(cli.db, "this is not a database, just text that is long enough to have a header".repeat(20));
        byte[] before = Files.readAllBytes(cli.db);
        CliRunner.Result r = cli.run("token", "list");
        assertThat(r.code()).as(r.toString()).isEqualTo(6);
        assertThat(r.err()).contains("not an SQLite database").hasLineCount(1);
        assertThat(Files.readAllBytes(cli.db)).isEqualTo(before);

        Path other = dir.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (x)");
        }
        CliRunner.Result foreign = cli.run("token", "list", "--db", other.toString());
        assertThat(foreign.code()).isEqualTo(6);
        assertThat(foreign.err()).contains("not a tokenctl store");
    }

    @Test
    void pathsSqliteWouldNotTreatAsAFileAreRefused() throws Exception {
        Path elsewhere = dir.resolve("elsewhere");
        String[][] cases = {
            // The driver's own names: a class-path resource or any URL, copied or opened where it is.
            {":resource:file:" + elsewhere.resolve("res.db"), "prefix the path with ./ or give an absolute path"},
            {"sqlite::resource:file:" + elsewhere.resolve("res.db"), "prefix the path with ./ or give an absolute path"},
            {":resource:tokens.db", "prefix the path with ./ or give an absolute path"},
            {":memory:", "prefix the path with ./ or give an absolute path"},
            {"sqlite://:memory:", "prefix the path with ./ or give an absolute path"},
            // SQLite keeps names that start with ':' for itself.
            {":temp:", "prefix the path with ./ or give an absolute path"},
            // An SQLite URI, which can name another file or a database in memory.
            {"file:" + elsewhere.resolve("uri.db"), "prefix the path with ./ or give an absolute path"},
            {"file:tokens.db", "prefix the path with ./ or give an absolute path"},
            {"sqlite:file:tokens.db", "prefix the path with ./ or give an absolute path"},
            // Parameters for the driver after '?'.
            {dir.resolve("t.db?mode=memory").toString(), "without '?'"},
            {dir.resolve("t.db?journal_mode=delete").toString(), "without '?'"},
            // The driver trims its URL: a trailing space or control character names another file.
            {dir.resolve("t.db ").toString(), "space or control character at the end of a path, and would open another file (remove it)"},
            {dir.resolve("t.db\n").toString(), "space or control character at the end of a path, and would open another file (remove it)"},
            {dir.resolve("t.db\t").toString(), "space or control character at the end of a path, and would open another file (remove it)"},
            {"", "give the path of a file"},
        };
        for (String[] c : cases) {
            CliRunner.Result r = cli.run("token", "create", "--name", "a", "--permission", "ReadHealthCheck",
                    "--no-expiry", "--db", c[0]);
            assertThat(r.code()).as(c[0] + "\n" + r).isEqualTo(2);
            assertThat(r.err()).as(c[0]).startsWith("tokenctl: error: store path '").contains("is not a file path SQLite can use")
                    .contains(c[1]).hasLineCount(1);
            assertThat(r.out()).isEmpty();
        }
        cli.env.put("TOKENCTL_DB", ":resource:file:" + elsewhere.resolve("res.db"));
        assertThat(cli.run("store", "info").code()).isEqualTo(2);
        assertThat(elsewhere).doesNotExist();
        assertThat(Path.of(":resource:file:")).doesNotExist();
        assertThat(Path.of(":memory:")).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).doesNotContain("t.db", "uri.db");
        }

        // The same names as plain paths, as the message says, are files like any other.
        Path plain = Files.createDirectories(dir.resolve(":resource:file:")).resolve("x.db");
        cli.env.put("TOKENCTL_DB", plain.toString());
        cli.create("one");
        assertThat(cli.ok("store", "info").out()).contains("location:       " + plain);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain))).isEqualTo("rw-------");
    }

    @Test
    void aJdbcSqliteUrlOrAnUnusablePathIsRefusedNotTakenAsAFileNamedSo() {
        for (String db : new String[] {"jdbc:sqlite:" + dir.resolve("a.db"), "jdbc:mysql://db.example.com/tokens",
                "jdbc:sqlite::memory:"}) {
            CliRunner.Result r = cli.run("--db", db, "token", "list");
            assertThat(r.code()).as(db + "\n" + r).isEqualTo(2);
            assertThat(r.err()).as(db).endsWith("' has an unknown scheme (use a file path, sqlite:PATH"
                    + " or postgresql://user@host:5432/dbname)\n").hasLineCount(1);
        }
        assertThat(Path.of("jdbc:sqlite:")).doesNotExist();
        assertThat(dir.resolve("a.db")).doesNotExist();

        CliRunner.Result nul = cli.run("--db", dir + "/a\0b.db", "token", "list");
        assertThat(nul.code()).as(nul.toString()).isEqualTo(2);
        assertThat(nul.err()).startsWith("tokenctl: error: store path '").contains("a\\u0000b.db").hasLineCount(1);
    }

    @Test
    void aStorePathThatIsADanglingSymbolicLinkIsRefused() throws Exception {
        Path target = dir.resolve("elsewhere").resolve("planted.db");
        Files.createDirectories(target.getParent());
        Path link = Files.createDirectories(dir.resolve("store")).resolve("tokens.db");
        Files.createSymbolicLink(link, target);
        CliRunner.Result r = cli.run("token", "list");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("tokenctl: error: store path '" + link + "' is a symbolic link to a file that does"
                + " not exist (remove the link, or point --db or TOKENCTL_DB at the file itself)\n");
        assertThat(target).doesNotExist();

        // A link to a store that exists is that store.
        Files.delete(link);
        cli.env.put("TOKENCTL_DB", target.toString());
        cli.create("one");
        Files.createSymbolicLink(link, target);
        cli.env.put("TOKENCTL_DB", link.toString());
        assertThat(cli.ok("token", "list").out()).contains("one");
    }

    @Test
    void commandsThatNeedNoStoreDoNotCreateOne() {
        CliRunner.Result r = cli.run("permissions", "list");
        assertThat(r.code()).isZero();
        assertThat(r.out().lines()).hasSize(17);
        assertThat(r.out()).contains("ChangeBucketStorage", "Cluster management");
        assertThat(cli.run("--help").out()).contains("Exit codes:", "  0", "success", " 70", "internal error");
        assertThat(cli.run("--version").out()).startsWith("tokenctl ");
        assertThat(cli.db).doesNotExist();
    }
}
