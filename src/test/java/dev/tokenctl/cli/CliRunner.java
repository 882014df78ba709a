package dev.tokenctl.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs tokenctl in-process through {@code CommandLine.execute} against a store in a temporary
 * directory, with a clock that only moves when a test moves it.
 */
final class CliRunner {
    static final Instant START = Instant.parse("2026-11-29T10:00:00Z");

    final Path dir;
    final Path db;
    final MutableClock clock = new MutableClock(START);
    final Map<String, String> env = new HashMap<>();

    CliRunner(Path dir) {
        this.dir = dir;
        this.db = dir.resolve("store").resolve("tokens.db");
        env.put("TOKENCTL_DB", db.toString());
        env.put("HOME", dir.toString());
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
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false, "tester");
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

    byte[] storeBytes() throws IOException {
        return java.nio.file.Files.readAllBytes(db);
    }

    /** A clock for tests: fixed until advanced. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
