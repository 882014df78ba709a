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
    void pathsSqliteWouldNotTreatAsAFileAreRefused() {
        for (String db : new String[] {"", ":memory:", "file:tokens.db", dir.resolve("t.db?mode=memory").toString()}) {
            CliRunner.Result r = cli.run("token", "create", "--name", "a", "--permission", "ReadHealthCheck",
                    "--no-expiry", "--db", db);
            assertThat(r.code()).as(db).isEqualTo(2);
            assertThat(r.err()).contains("is not a file path SQLite can use").hasLineCount(1);
            assertThat(r.out()).isEmpty();
        }
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
