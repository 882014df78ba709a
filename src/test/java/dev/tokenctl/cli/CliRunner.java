package dev.tokenctl.cli;

import dev.tokenctl.startup.Main;
import dev.tokenctl.testing.MovedClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs tokenctl in-process through {@code CommandLine.execute} against a new store, a file in a
 * temporary directory or a database of its own on the test PostgreSQL server, with a clock that
 * only moves when a test moves it.
 */
final class CliRunner {
    static final Instant START = Instant.parse("2026-11-29T10:00:00Z");

    final Path dir;
    final Engine engine;
    /** The store's file on SQLite. */
    final Path db;
    /** The store's location, as TOKENCTL_DB gives it. */
    final String location;
    final MovedClock clock = new MovedClock(START);
    final Map<String, String> env = new HashMap<>();
    /** Whether the run's standard input and output are a terminal. */
    boolean terminal;

    CliRunner(Path dir) {
        this(dir, Engine.SQLITE);
    }

    CliRunner(Path dir, Engine engine) {
        this(dir, engine, false);
    }

    /**
     * With {@code seeded}, a PostgreSQL store is a copy of one already made (see
     * {@link TestPostgres#newStore}) rather than an empty database that the first command makes
     * a store of; an SQLite store is made by the first command either way, which costs little.
     */
    CliRunner(Path dir, Engine engine, boolean seeded) {
        this.dir = dir;
        this.engine = engine;
        this.db = dir.resolve("store").resolve("tokens.db");
        this.location = engine == Engine.SQLITE ? db.toString()
                : seeded ? TestPostgres.newStore() : TestPostgres.newDatabase();
        env.put("TOKENCTL_DB", location);
        env.put("HOME", dir.toString());
        if (engine == Engine.POSTGRESQL) {
            env.put("PGPASSWORD", TestPostgres.PASSWORD);
        }
    }

    /** The store's database name on PostgreSQL. */
    String database() {
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** What one run printed and returned; its toString shows all three for failure messages. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }

        /** The first line of stdout, e.g. the token string of a create. */
        String line() {
            return out.lines().findFirst().orElse("");
        }
    }

    /** Runs and fails the test, showing all output, unless the exit code is 0. */
    Result ok(String... args) {
        Result r = run(args);
        if (r.code() != 0) {
            throw new AssertionError("expected exit 0: " + r);
        }
        return r;
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    Context context() {
        return context("");
    }

    private Context context(String stdin) {
        return new Context(Map.copyOf(env), clock, ZoneOffset.UTC,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), terminal, "tester");
    }

    Result runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(context(stdin), new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Creates a token that expires in 30 days and returns its string. */
    String create(String name, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "token";
        args[1] = "create";
        args[2] = "--name";
        args[3] = name;
        System.arraycopy(more, 0, args, 4, more.length);
        if (more.length == 0) {
            args = new String[] {"token", "create", "--name", name, "--permission", "ReadHealthCheck", "--expires-in", "30d"};
        }
        Result r = run(args);
        if (r.code() != 0) {
            throw new AssertionError("create failed: " + r);
        }
        return r.line();
    }

    /** The whole store: the file's bytes, or every row of the database; equal when nothing changed. */
    /** Runs SQL statements on the store directly, as a tool other than tokenctl could. */
    void sql(String... statements) throws java.sql.SQLException {
        if (engine == Engine.POSTGRESQL) {
            String[] all = new String[statements.length + 1];
            all[0] = "SET search_path TO tokenctl";
            System.arraycopy(statements, 0, all, 1, statements.length);
            TestPostgres.execute(database(), all);
            return;
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + location);
             java.sql.Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    String snapshot() throws IOException {
        if (engine == Engine.POSTGRESQL) {
            return TestPostgres.dump(database());
        }
        return new String(java.nio.file.Files.readAllBytes(db), StandardCharsets.ISO_8859_1);
    }

    /** Everything the store keeps anywhere: its files with the WAL, or every row of the database. */
    String storeContents() throws IOException {
        if (engine == Engine.POSTGRESQL) {
            return TestPostgres.dump(database());
        }
        StringBuilder contents = new StringBuilder();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(db.getParent())) {
            for (Path file : files.toList()) {
                contents.append(new String(java.nio.file.Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return contents.toString();
    }
}
