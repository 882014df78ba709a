package dev.tokenctl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenctl.app.Application;
import dev.tokenctl.cli.Context;
import dev.tokenctl.startup.Main;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * A SQLite store in a test's directory, for in-process tests below the command line: tokenctl
 * commands run on it as the launcher would run them, and applications open it as a face does.
 */
public final class LocalStore {
    private final Map<String, String> env;
    /** The clock of its commands and applications: the system's, until a test moves it. */
    public final MovedClock clock = new MovedClock();

    public LocalStore(Path dir) {
        env = Map.of("TOKENCTL_DB", dir.resolve("tokens.db").toString(), "HOME", dir.toString());
    }

    public Context context() {
        return new Context(env, clock, ZoneOffset.UTC, new ByteArrayInputStream(new byte[0]), false, "tester");
    }

    /** A new application on the store, as each thread of a server makes one. */
    public Application application() {
        return new Application(context().environment(), warning -> { });
    }

    /** Runs a tokenctl command, which must succeed, and returns its standard output, stripped. */
    public String tokenctl(String... args) {
        return tokenctl(context(), args);
    }

    /** Runs a tokenctl command in {@code context}, which must succeed, and returns its standard output, stripped. */
    public static String tokenctl(Context context, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(context, new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as(String.join(" ", args) + "\n" + err).isZero();
        return out.toString().strip();
    }

    /** Creates a token that never expires and returns its id. */
    public String newTokenId(String name) {
        String token = tokenctl("token", "create", "--name", name, "--permission", "ReadHealthCheck", "--no-expiry");
        return token.substring(0, token.indexOf('~'));
    }
}
