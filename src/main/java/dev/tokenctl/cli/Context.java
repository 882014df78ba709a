package dev.tokenctl.cli;

import java.io.InputStream;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;

/**
 * What a run takes from its surroundings, so tests can give a temporary store, a fixed clock
 * and their own standard input. {@code interactive} is true when standard input is a terminal.
 */
public record Context(Map<String, String> env, Clock clock, ZoneId zone, InputStream stdin, boolean interactive,
                      String user) {

    /** The real surroundings of a process. */
    public static Context system() {
        return new Context(System.getenv(), Clock.systemUTC(), ZoneId.systemDefault(), System.in,
                System.console() != null, System.getProperty("user.name", "unknown"));
    }
}
