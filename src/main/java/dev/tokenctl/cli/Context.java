package dev.tokenctl.cli;

import dev.tokenctl.app.Environment;
import java.io.InputStream;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;

/**
 * What a run of the command line takes from its surroundings, so tests can give a temporary
 * store, a fixed clock and their own standard input: the application's {@link Environment} and,
 * for the terminal, its time zone and whether standard input and output are a terminal.
 */
public record Context(Map<String, String> env, Clock clock, ZoneId zone, InputStream stdin, boolean interactive,
                      String user) {

    /** The real surroundings of a process. */
    public static Context system() {
        return new Context(System.getenv(), Clock.systemUTC(), ZoneId.systemDefault(), System.in,
                System.console() != null, System.getProperty("user.name", "unknown"));
    }

    /** What the application takes from these surroundings. */
    public Environment environment() {
        return new Environment(env, clock, stdin, user);
    }
}
