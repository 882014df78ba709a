package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only a server can get wrong: finding it, logging in, TLS, privileges, and the schema
 * another tokenctl or another program left there. Each failure is one line naming what to
 * check, exit 6, and the password appears nowhere.
 */
class PostgresStoreTest {
    @TempDir
    Path dir;
    CliRunner cli;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir, Engine.POSTGRESQL);
    }

    /** Runs {@code store info} and checks the one-line exit-6 answer; returns stderr. */
    private String storageError(String... args) {
        CliRunner.Result r = cli.run(args.length == 0 ? new String[] {"store", "info"} : args);
        assertThat(r.code()).as(r.toString()).isEqualTo(6);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).startsWith("tokenctl: error: ").doesNotContain(TestPostgres.PASSWORD);
        return r.err();
    }

    @Test
    void anUnreachableServerNamesTheHostAndPort() {
        cli.env.put("TOKENCTL_DB", "postgresql://someone@127.0.0.1:1/tokens");
        assertThat(storageError()).contains("cannot reach PostgreSQL at 127.0.0.1:1",
                "check that the server is running and that the host and port in the URL are right");
        cli.env.put("TOKENCTL_DB", "postgresql://someone@no-such-host.invalid/tokens");
        assertThat(storageError()).contains("unknown host no-such-host.invalid", "check the host in the URL");
    }

    @Test
    void aWrongOrMissingPasswordSaysWhereThePasswordComesFrom() {
        cli.env.put("PGPASSWORD", "wrong");
        assertThat(storageError()).contains("refused the password of user 'tokenctl_admin', from PGPASSWORD (check it");
        cli.env.put("TOKENCTL_DB", cli.location.replace("tokenctl_admin@", "tokenctl_admin:wrong-in-url@"));
        assertThat(storageError()).contains("refused the password of user 'tokenctl_admin', from the URL (check it")
                .doesNotContain("wrong-in-url");
        cli.env.put("TOKENCTL_DB", cli.location);
        cli.env.remove("PGPASSWORD");
        assertThat(storageError()).contains("wants a password for user 'tokenctl_admin' and none was found",
                "set PGPASSWORD, or add a line for this server to ~/.pgpass");
    }

    @Test
    void thePasswordFileIsReadAsLibpqReadsIt() throws Exception {
        cli.env.remove("PGPASSWORD");
        Path pgpass = dir.resolve(".pgpass");
        Files.writeString(pgpass, "# a comment\nother.example.com:5432:*:*:nope\n"
                + TestPostgres.hostPort() + ":\\*:tokenctl_admin:escaped-star-is-no-wildcard\n"
                + TestPostgres.hostPort() + ":*:tokenctl_admin:"
                + TestPostgres.PASSWORD.replace(":", "\\:") + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        assertThat(cli.ok("store", "info").out()).contains("engine:         postgresql");

        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(storageError()).contains("none was found: " + pgpass + " is ignored, since others may read it"
                + " (chmod 600 " + pgpass + ")");

        Path elsewhere = Files.move(pgpass, dir.resolve("passwords"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rw-------"));
        cli.env.put("PGPASSFILE", elsewhere.toString());
        assertThat(cli.ok("store", "info").out()).contains("engine:         postgresql");
    }

    @Test
    void aPasswordFileTokenctlIgnoresIsNotReadByTheDriverInstead() throws Exception {
        cli.env.remove("PGPASSWORD");
        Path pgpass = dir.resolve(".pgpass");
        Files.writeString(pgpass, TestPostgres.hostPort() + ":*:tokenctl_admin:" + TestPostgres.PASSWORD.replace(":", "\\:") + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-r--r--"));
        // The driver looks for ~/.pgpass on its own, in the JVM's user.home: point it at this one.
        String before = System.getProperty("org.postgresql.pgpassfile");
        System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
        try {
            assertThat(storageError()).contains("none was found: " + pgpass + " is ignored, since others may read it");
            cli.env.put("TOKENCTL_DB", "jdbc:postgresql://" + TestPostgres.hostPort() + "/" + cli.database() + "?user=tokenctl_admin");
            assertThat(storageError()).contains("none was found: " + pgpass + " is ignored, since others may read it");
        } finally {
            if (before == null) {
                System.clearProperty("org.postgresql.pgpassfile");
            } else {
                System.setProperty("org.postgresql.pgpassfile", before);
            }
        }
    }

    @Test
    void aPasswordFileNamedInTheEnvironmentIsShownEscaped() throws Exception {
        cli.env.remove("PGPASSWORD");
        Path pgpass = dir.resolve("pass\u001b[2Jfile");
        Files.writeString(pgpass, "*:*:*:*:wrong\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        cli.env.put("PGPASSFILE", pgpass.toString());
        String shown = dir + "/pass\\u001b[2Jfile";
        assertThat(storageError()).contains("refused the password of user 'tokenctl_admin', from " + shown + " (check it")
                .doesNotContain("\u001b");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(storageError()).contains("none was found: " + shown + " is ignored, since others may read it (chmod 600 "
                + shown + ")").doesNotContain("\u001b");
    }

    @Test
    void aMissingDatabaseSaysHowToCreateIt() {
        cli.env.put("TOKENCTL_DB", TestPostgres.url("tokenctl_admin", "no_such_db"));
        assertThat(storageError()).contains("database 'no_such_db' does not exist on PostgreSQL at " + TestPostgres.hostPort(),
                "createdb -O tokenctl_admin no_such_db");
    }

    @Test
    void aUserWithoutPrivilegesIsToldWhatToAskFor() {
        String role = "limited_" + UUID.randomUUID().toString().substring(0, 8);
        TestPostgres.execute("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD 'limited-pw'");
        cli.env.put("TOKENCTL_DB", TestPostgres.url(role, cli.database()));
        cli.env.put("PGPASSWORD", "limited-pw");
        assertThat(storageError()).contains("user '" + role + "' lacks a privilege on store postgresql://" + role + "@",
                "permission denied", "ask the database's owner to grant it");

        // The store made by another user, with no grant on it.
        cli.env.put("TOKENCTL_DB", cli.location);
        cli.env.put("PGPASSWORD", TestPostgres.PASSWORD);
        cli.create("mine");
        cli.env.put("TOKENCTL_DB", TestPostgres.url(role, cli.database()));
        cli.env.put("PGPASSWORD", "limited-pw");
        assertThat(storageError("token", "list")).contains("lacks a privilege", "permission denied for schema tokenctl");
    }

    @Test
    void writersWaitForEachOtherUpToTheLockTimeoutAndReadersDoNotWait() throws Exception {
        cli.create("one");
        String before = cli.snapshot();
        try (Connection holder = TestPostgres.connect(cli.database()); Statement s = holder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + 0x746f6b656e63746cL + ")");  // what a writer holds
            cli.env.put("TOKENCTL_LOCK_TIMEOUT", "1s");
            long started = System.nanoTime();
            assertThat(storageError("token", "create", "--name", "two", "--permission", "ReadHealthCheck", "--no-expiry"))
                    .contains("is locked by another process; gave up after 1.0s (try again when it is done)");
            assertThat(System.nanoTime() - started).isGreaterThan(900_000_000L);
            assertThat(cli.ok("token", "list").out()).contains("one");
        }
        assertThat(cli.snapshot()).isEqualTo(before);
    }

    @Test
    void tlsRequiredByTheUrlButNotOfferedByTheServerIsNamed() {
        cli.env.put("TOKENCTL_DB", cli.location + "?sslmode=require");
        assertThat(storageError()).contains("does not offer TLS, and the URL's sslmode requires it");
    }

    @Test
    void tlsIsVerifiedAsTheUrlAsks() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestPostgres.TLS_URL != null || "true".equals(System.getenv("CI")),
                "no TLS server for the tests (.ci/postgres starts one)");
        String server = TestPostgres.TLS_URL.substring(TestPostgres.TLS_URL.indexOf('@') + 1, TestPostgres.TLS_URL.lastIndexOf('/'));
        String base = TestPostgres.TLS_URL + "?sslmode=";
        for (String works : new String[] {"verify-full&sslrootcert=" + TestPostgres.TLS_CERTIFICATE,
                "verify-ca&sslrootcert=" + TestPostgres.TLS_CERTIFICATE, "require"}) {
            cli.env.put("TOKENCTL_DB", base + works);
            CliRunner.Result r = cli.run("store", "info");
            assertThat(r.code()).as(works + "\n" + r).isZero();
        }

        // A certificate that is not the server's: the JDK's first trusted authority.
        java.security.KeyStore trusted = java.security.KeyStore.getInstance(new java.io.File(
                System.getProperty("java.home") + "/lib/security/cacerts"), (char[]) null);
        java.security.cert.Certificate stranger = trusted.getCertificate(trusted.aliases().nextElement());
        Path other = dir.resolve("other.crt");
        Files.writeString(other, "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(stranger.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        cli.env.put("TOKENCTL_DB", base + "verify-full&sslrootcert=" + other);
        assertThat(storageError()).contains("TLS with PostgreSQL at " + server + " failed: its certificate is not signed"
                + " by one in sslrootcert", "check the server's certificate, sslrootcert=FILE in the URL");
        cli.env.put("TOKENCTL_DB", base + "verify-full&sslrootcert=" + dir.resolve("missing.crt"));
        assertThat(storageError()).contains("TLS with PostgreSQL at " + server + " failed: ", "missing.crt");
        cli.env.put("TOKENCTL_DB", base + "verify-full&sslrootcert=" + dir.resolve("missing%1B[2J.crt"));
        assertThat(storageError()).contains("TLS with PostgreSQL at " + server + " failed: ", "missing\\u001b[2J.crt")
                .doesNotContain("\u001b");

        cli.env.put("TOKENCTL_DB", base + "disable");
        assertThat(storageError()).contains("does not let user 'tokenctl_admin' in: ", "no encryption",
                "check the server's pg_hba.conf, and sslmode in the URL");
    }

    @Test
    void aNewerSchemaIsRefusedAndTablesOfAnotherProgramAreLeftAlone() {
        cli.create("one");
        TestPostgres.execute(cli.database(), "UPDATE tokenctl.schema_version SET version = 99");
        assertThat(storageError("token", "list")).contains("written by a newer tokenctl (schema version 99",
                "upgrade tokenctl");

        CliRunner foreign = new CliRunner(dir.resolve("foreign"), Engine.POSTGRESQL);
        TestPostgres.execute(foreign.database(), "CREATE SCHEMA tokenctl", "CREATE TABLE tokenctl.tokens (x INTEGER)");
        CliRunner.Result r = foreign.run("token", "list");
        assertThat(r.code()).as(r.toString()).isEqualTo(6);
        assertThat(r.err()).contains("is not a tokenctl store: it holds tables that tokenctl did not make");
        assertThat(TestPostgres.dump(foreign.database())).contains("-- tokens\n-- policy");
    }

    @Test
    void urlFormsLibpqAndJdbcUsersKnowReachTheSameStore() throws Exception {
        cli.create("one");
        String database = cli.database();
        String user = "tokenctl_admin";
        for (String url : new String[] {
                "postgres://" + user + "@" + TestPostgres.hostPort() + "/" + database + "?sslmode=disable&application_name=t",
                "jdbc:postgresql://" + TestPostgres.hostPort() + "/" + database + "?user=" + user,
                "postgresql://" + TestPostgres.hostPort() + "/" + database + "?user=" + user + "&connect_timeout=5"}) {
            cli.env.put("TOKENCTL_DB", url);
            CliRunner.Result r = cli.run("token", "list", "-o", "json");
            assertThat(r.code()).as(url + "\n" + r).isZero();
            assertThat(r.out()).contains("\"one\"");
        }
        // From the environment, a password in the URL is accepted, and shown nowhere.
        cli.env.remove("PGPASSWORD");
        cli.env.put("TOKENCTL_DB", "postgresql://" + user + ":" + TestPostgres.PASSWORD + "@" + TestPostgres.hostPort()
                + "/" + database);
        CliRunner.Result info = cli.ok("store", "info", "-o", "json");
        assertThat(info.out()).contains("\"location\" : \"" + TestPostgres.url(user, database) + "\"")
                .doesNotContain(TestPostgres.PASSWORD);
        cli.env.put("TOKENCTL_DB", "postgresql://" + user + ":" + TestPostgres.PASSWORD + "@127.0.0.1:1/" + database);
        CliRunner.Result verbose = cli.run("store", "info", "--verbose");
        assertThat(verbose.code()).isEqualTo(6);
        assertThat(verbose.err()).contains("\tat ").doesNotContain(TestPostgres.PASSWORD);

        cli.env.put("TOKENCTL_DB", cli.location + "?sslmode=require&search_path=x");
        CliRunner.Result unknown = cli.run("store", "info");
        assertThat(unknown.code()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err()).contains("parameter 'search_path' is not supported (use application_name, connect_timeout,");
    }
}
