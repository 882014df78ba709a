package dev.tokenctl.cli;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server the tests run against: the one {@code .ci/postgres} starts, named by
 * TOKENCTL_TEST_PG (an administrator's URL) and TOKENCTL_TEST_PGPASSWORD, or, when those are
 * not set, ones started for this JVM and stopped when it ends, however it ends (see
 * {@link #servers}). Each store gets a
 * database of its own; the oldest are dropped as new ones are made, the rest when the JVM ends.
 */
final class TestPostgres {
    private static final Map<String, String> SERVERS = servers();
    static final String ADMIN_URL = SERVERS.get("TOKENCTL_TEST_PG");
    static final String PASSWORD = SERVERS.get("TOKENCTL_TEST_PGPASSWORD");
    /** A server that accepts TLS connections only, and the certificate it presents. */
    static final String TLS_URL = SERVERS.get("TOKENCTL_TEST_PG_TLS");
    static final String TLS_CERTIFICATE = SERVERS.get("TOKENCTL_TEST_PG_CA");
    private static final int KEEP = 12;
    private static final Deque<String> DATABASES = new ArrayDeque<>();
    /** The database {@link #newStore} copies, made on first use; dropped when the JVM ends. */
    private static String template;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (DATABASES) {
                while (!DATABASES.isEmpty()) {
                    drop(DATABASES.removeFirst());
                }
                if (template != null) {
                    drop(template);
                }
            }
        }));
    }

    /**
     * The servers named by TOKENCTL_TEST_PG*, as .ci/run starts them; else, where Debian's
     * PostgreSQL server is installed, throw-away ones that .ci/postgres starts on free loopback
     * ports for this JVM and stops when it ends; else none, and the PostgreSQL tests are skipped.
     */
    private static Map<String, String> servers() {
        Map<String, String> servers = new HashMap<>(System.getenv());
        if (servers.get("TOKENCTL_TEST_PG") != null || "true".equals(servers.get("CI")) || sqliteAlone()) {
            return servers;
        }
        Path script = Path.of(".ci/postgres").toAbsolutePath();
        if (!Files.isExecutable(script) || !hasServer()) {
            System.err.println("PostgreSQL tests skipped: no PostgreSQL server installed"
                    + " (apt-get install postgresql, or start one with .ci/postgres and export what it prints)");
            return servers;
        }
        try {
            Path dir = Files.createTempDirectory("tokenctl-test-pg");
            Process watchdog = watchdog(script, dir);
            int port = freePorts();
            ProcessBuilder start = new ProcessBuilder(script.toString(), "start", dir.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            start.environment().put("TOKENCTL_TEST_PG_PORT", String.valueOf(port));
            Process process = start.start();
            String exports = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(".ci/postgres start failed");
            }
            // Its stopping is the watchdog's: told now, and waited for, so the servers are gone when the JVM is.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    watchdog.getOutputStream().close();
                    watchdog.waitFor(60, TimeUnit.SECONDS);
                } catch (IOException | InterruptedException e) {
                    // Nothing more to do as the JVM ends.
                }
            }));
            exports.lines().filter(l -> l.startsWith("export ")).forEach(l -> {
                String pair = l.substring("export ".length());
                servers.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            });
            return servers;
        } catch (IOException | InterruptedException | IllegalStateException e) {
            System.err.println("PostgreSQL tests skipped: could not start throw-away servers: " + e.getMessage());
            return servers;
        }
    }

    /**
     * A process that stops the servers in {@code dir} and removes it when this JVM ends, however
     * it ends, even by SIGKILL (as PIT ends a test JVM that runs too long): it waits for the end
     * of a pipe that only this JVM holds, which the kernel closes when the JVM dies. In a session
     * of its own, so that a signal to the JVM's process group (Ctrl-C) does not end it first; its
     * output goes nowhere, so that it holds none of the JVM's pipes open.
     */
    private static Process watchdog(Path script, Path dir) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                "while read -r line; do :; done; exec \"$0\" stop \"$1\" >/dev/null 2>&1", script.toString(),
                dir.toString()));
        if (new File("/usr/bin/setsid").canExecute() || new File("/bin/setsid").canExecute()) {
            command.add(0, "setsid");
        }
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static boolean hasServer() {
        File[] versions = new File("/usr/lib/postgresql").listFiles();
        return versions != null && Arrays.stream(versions).anyMatch(v -> new File(v, "bin/initdb").canExecute());
    }

    /** A port that is free, with the one after it free too, for the plain and the TLS server. */
    static int freePorts() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            try (ServerSocket next = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // Try another pair.
            }
        }
        throw new IOException("no two free ports in a row on loopback");
    }

    private TestPostgres() {
    }

    /** Skips the test when no server is configured; in CI, where .ci/run starts one, fails it. */
    /**
     * Whether this JVM tests on SQLite alone (-Dtokenctl.test.engines=sqlite, as mutation testing
     * runs): then no server is started either. PIT kills a test JVM that times out, and a server
     * started for it would outlive it.
     */
    private static boolean sqliteAlone() {
        return "sqlite".equals(System.getProperty("tokenctl.test.engines"));
    }

    static void assumeAvailable() {
        Assumptions.assumeFalse(sqliteAlone(), "SQLite alone (-Dtokenctl.test.engines=sqlite)");
        if (ADMIN_URL == null || ADMIN_URL.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("TOKENCTL_TEST_PG is not set: .ci/run starts a PostgreSQL server and sets it");
            }
            Assumptions.abort("no PostgreSQL server for the tests (start one with .ci/postgres, and export what it prints)");
        }
    }

    /** user@host:port of the administrator's URL. */
    static String authority() {
        String rest = ADMIN_URL.substring(ADMIN_URL.indexOf("://") + 3);
        return rest.substring(0, rest.indexOf('/'));
    }

    static String hostPort() {
        return authority().substring(authority().indexOf('@') + 1);
    }

    /** The URL of database {@code name} for {@code user}, as a user gives it to tokenctl. */
    static String url(String user, String database) {
        return "postgresql://" + user + "@" + hostPort() + "/" + database;
    }

    /** Makes a new, empty database and returns the URL of it for the administrator. */
    static String newDatabase() {
        return newDatabase(null);
    }

    /**
     * Makes a new database with a store in it, as tokenctl's first command leaves it, and returns
     * the URL of it for the administrator: a copy of a template made once for this JVM, which
     * costs the copy alone where a new store costs its migrations too.
     */
    static String newStore() {
        assumeAvailable();
        synchronized (DATABASES) {
            if (template == null) {
                String name = "t_seed_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
                execute("postgres", "CREATE DATABASE " + name);
                String url = url(authority().substring(0, authority().indexOf('@')), name);
                dev.tokenctl.core.Store store = dev.tokenctl.store.Stores.open(url, Map.of("PGPASSWORD", PASSWORD),
                        "tester", java.time.Duration.ofSeconds(30), null, null);
                store.close();
                template = name;
            }
        }
        return newDatabase(template);
    }

    private static String newDatabase(String from) {
        assumeAvailable();
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        synchronized (DATABASES) {
            while (DATABASES.size() >= KEEP) {
                drop(DATABASES.removeFirst());
            }
            execute("postgres", "CREATE DATABASE " + name + (from == null ? "" : " TEMPLATE " + from));
            DATABASES.addLast(name);
        }
        return url(authority().substring(0, authority().indexOf('@')), name);
    }

    static Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", authority().substring(0, authority().indexOf('@')));
        properties.setProperty("password", PASSWORD);
        return DriverManager.getConnection("jdbc:postgresql://" + hostPort() + "/" + database, properties);
    }

    /** Runs statements as the administrator in {@code database}. */
    static void execute(String database, String... statements) {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(String.join("; ", statements), e);
        }
    }

    /** Every row of the store's tables, for comparing a store before and after a command. */
    static String dump(String database) {
        StringBuilder dump = new StringBuilder();
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            for (String table : new String[] {"schema_version", "ip_filters", "tokens", "policy", "audit"}) {
                dump.append("-- ").append(table).append('\n');
                try (ResultSet rs = s.executeQuery("SELECT * FROM tokenctl." + table + " ORDER BY 1")) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            dump.append(rs.getString(i)).append(i < meta.getColumnCount() ? "|" : "\n");
                        }
                    }
                } catch (SQLException e) {
                    dump.append(e.getSQLState()).append('\n');  // no such table yet
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return dump.toString();
    }

    private static void drop(String name) {
        try {
            execute("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (IllegalStateException e) {
            // The server is gone already; it is thrown away after the run.
        }
    }
}
