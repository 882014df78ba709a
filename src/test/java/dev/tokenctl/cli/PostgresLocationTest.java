package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a PostgreSQL location is read, which needs no server: every mistake in the URL is exit 2
 * before any connection is tried, the same in both forms, and a location means what store info
 * says, whatever the driver would make of it on its own. Where a connection is tried, it is to a
 * port where nothing listens: exit 6, "cannot reach".
 */
class PostgresLocationTest {
    static final String SUPPORTED = "(use application_name, connect_timeout, sslcert, sslkey, sslmode, sslrootcert)";
    /** Nothing listens on port 1: a URL that gets past parsing fails at once with "cannot reach". */
    static final String[] FORMS = {"postgresql://someone@127.0.0.1:1/tokens?", "jdbc:postgresql://127.0.0.1:1/tokens?user=someone&"};

    @TempDir
    Path dir;
    CliRunner cli;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir);
        cli.env.put("PGPASSWORD", "not-used");
    }

    private CliRunner.Result storeInfo(String url) {
        cli.env.put("TOKENCTL_DB", url);
        return cli.run("store", "info");
    }

    private static void assertUsage(CliRunner.Result r, String url, String... fragments) {
        assertThat(r.code()).as(url + "\n" + r).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).as(url).startsWith("tokenctl: error: store URL '").hasLineCount(1);
        for (String fragment : fragments) {
            assertThat(r.err()).as(url).contains(fragment);
        }
    }

    @Test
    void unknownParametersAreRefusedInBothFormsAlike() {
        for (String form : FORMS) {
            for (String parameter : new String[] {"search_path=x", "options=-c%20search_path%3Dx",
                    "socketFactory=javax.net.DefaultSocketFactory", "sslfactory=org.postgresql.ssl.NonValidatingFactory",
                    "sslhostnameverifier=x", "service=tokens", "host=elsewhere", "port=5433", "PGHOST=elsewhere",
                    "loggerLevel=TRACE", "ssl=true", "currentSchema=public", "connectTimeout=5", "ApplicationName=x",
                    "SSLMODE=disable"}) {
                String url = form + parameter;
                String name = parameter.substring(0, parameter.indexOf('='));
                assertUsage(storeInfo(url), url, "parameter '" + name + "' is not supported " + SUPPORTED);
            }
        }
    }

    @Test
    void aBadValueOfAnyParameterIsRefusedNamingItBeforeConnecting() {
        String[][] cases = {
            {"connect_timeout=abc", "connect_timeout"},
            {"connect_timeout=-1", "connect_timeout"},
            {"connect_timeout=1.5", "connect_timeout"},
            {"connect_timeout=", "connect_timeout"},
            {"connect_timeout=2147484", "connect_timeout"},  // overflows the driver's milliseconds
            {"sslmode=bogus", "sslmode"},
            {"sslmode=", "sslmode"},
            {"sslmode=VERIFY-FULL", "sslmode"},
            {"sslmode", "sslmode"},
            {"sslrootcert=", "sslrootcert"},
            {"sslrootcert=system", "sslrootcert"},  // libpq's system CAs; the driver would read a file named so
            {"sslcert=", "sslcert"},
            {"sslkey=", "sslkey"},
        };
        for (String form : FORMS) {
            for (String[] c : cases) {
                String url = form + c[0];
                CliRunner.Result r = storeInfo(url);
                assertUsage(r, url, "cannot be used: " + c[1] + " ");
            }
        }
        assertThat(storeInfo(FORMS[0] + "sslmode=bogus").err()).contains("sslmode 'bogus' is not one of disable, allow,"
                + " prefer, require, verify-ca, verify-full");
        assertThat(storeInfo(FORMS[1] + "connect_timeout=abc").err()).contains("connect_timeout 'abc' is not a whole number"
                + " of seconds from 0 to 2147483");
        // A password in the URL: the value is not quoted, since it might be a piece of a password.
        CliRunner.Result secret = storeInfo("postgresql://someone:s3cret-pw@127.0.0.1:1/tokens?sslmode=bogus");
        assertUsage(secret, "with a password", "cannot be used: sslmode is not one of");
        assertThat(secret.err()).doesNotContain("s3cret");
    }

    @Test
    void goodValuesGetPastParsingInBothForms() {
        for (String form : FORMS) {
            for (String parameters : new String[] {"connect_timeout=0", "connect_timeout=2147483&sslmode=disable",
                    "sslmode=allow", "sslmode=prefer", "application_name=nightly%20job", "dbname=tokens",
                    "sslmode=verify-full&sslrootcert=" + dir.resolve("ca.crt") + "&sslcert=c.crt&sslkey=c.key"}) {
                String url = form + parameters;
                CliRunner.Result r = storeInfo(url);
                assertThat(r.code()).as(url + "\n" + r).isEqualTo(6);
                assertThat(r.err()).as(url).contains("cannot reach PostgreSQL at 127.0.0.1:1");
            }
        }
    }

    @Test
    void aJdbcUrlIsReadByTokenctlNotByTheDriverAlone() throws Exception {
        // The driver's own pass file lookup would have found a password for any URL and called it the URL's.
        Path pgpass = dir.resolve("drivers-pgpass");
        Files.writeString(pgpass, "*:*:*:*:from-the-drivers-lookup\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        String before = System.getProperty("org.postgresql.pgpassfile");
        System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
        try {
            String url = "jdbc:postgresql://127.0.0.1:1/tokens?user=someone";
            CliRunner.Result r = cli.run("--db", url, "store", "info");
            assertThat(r.code()).as(r.toString()).isEqualTo(6);
            assertThat(r.err()).contains("cannot reach PostgreSQL at 127.0.0.1:1");
        } finally {
            if (before == null) {
                System.clearProperty("org.postgresql.pgpassfile");
            } else {
                System.setProperty("org.postgresql.pgpassfile", before);
            }
        }

        // A malformed JDBC URL is one line of ours, nothing from the driver's logger (which prints to
        // stderr), and no password.
        java.util.logging.Logger driver = java.util.logging.Logger.getLogger("org.postgresql");
        java.util.List<String> logged = new java.util.ArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.INFO.intValue()) {
                    logged.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        driver.addHandler(capture);
        try {
            for (String url : new String[] {"jdbc:postgresql://127.0.0.1:1?user=someone&password=s3cret-pw",
                    "jdbc:postgresql://127.0.0.1:x/tokens?password=s3cret-pw", "jdbc:postgresql:/tokens?password=s3cret-pw",
                    "jdbc:postgresql://someone:s3cret-pw@127.0.0.1:1/tokens"}) {
                CliRunner.Result r = storeInfo(url);
                assertUsage(r, url);
                assertThat(r.err()).doesNotContain("s3cret");
            }
        } finally {
            driver.removeHandler(capture);
        }
        assertThat(logged).isEmpty();
        assertThat(storeInfo("jdbc:postgresql://someone@127.0.0.1:1/tokens").err())
                .contains("a JDBC URL names the user as a parameter (jdbc:postgresql://host:5432/dbname?user=NAME)");
    }

    @Test
    void theJdbcFormTakesLeftOutPartsAsTheOtherDoes() {
        cli.env.put("PGHOST", "127.0.0.1");
        cli.env.put("PGPORT", "1");
        cli.env.put("PGUSER", "from-env");
        for (String url : new String[] {"jdbc:postgresql:tokens", "jdbc:postgresql:///tokens", "postgresql:///tokens"}) {
            CliRunner.Result r = storeInfo(url);
            assertThat(r.code()).as(url + "\n" + r).isEqualTo(6);
            assertThat(r.err()).as(url).contains("cannot reach PostgreSQL at 127.0.0.1:1");
        }
    }

    @Test
    void valuesFromTheEnvironmentAreEscapedInErrors() {
        String token = "tctl_0123456789abcdef~" + "s".repeat(49);
        cli.env.put("PGUSER", "user\u001b[2J" + token);
        cli.env.put("PGDATABASE", "db\nname");
        CliRunner.Result r = storeInfo("postgresql://bad%0Ahost%1B.invalid:5432");
        assertThat(r.code()).as(r.toString()).isEqualTo(6);
        assertThat(r.err()).as(r.toString()).hasLineCount(1).startsWith("tokenctl: error: cannot find the host of store ")
                .contains("bad\\u000ahost\\u001b.invalid", "user\\u001b[2J", "db\\u000aname")
                .doesNotContain("\u001b", "s".repeat(49));
    }
}
