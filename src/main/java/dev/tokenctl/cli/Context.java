package dev.tokenctl.cli;

import dev.tokenctl.app.Environment;
import java.io.InputStream;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a run of the command line takes from its surroundings, so tests can give a temporary
 * store, a fixed clock and their own standard input: the application's {@link Environment} and,
 * for the terminal, its time zone and whether standard input and output are a terminal.
 */
public record Context(Map<String, String> env, Clock clock, Supplier<ZoneId> timeZone, InputStream stdin,
                      boolean interactive, String user) {

    public Context(Map<String, String> env, Clock clock, ZoneId zone, InputStream stdin, boolean interactive,
                   String user) {
        this(env, clock, () -> zone, stdin, interactive, user);
    }

    /**
     * The real surroundings of a process. The system's time zone is read when first asked for:
     * reading it takes tens of milliseconds, and most commands show no local time.
     */
    public static Context system() {
        return new Context(System.getenv(), Clock.systemUTC(), new SystemZone(), System.in,
                System.console() != null, System.getProperty("user.name", "unknown"));
    }

    /** The system's time zone, as a class of its own: a lambda here would be made at every start. */
    private static final class SystemZone implements Supplier<ZoneId> {
        @Override
        public ZoneId get() {
            return ZoneId.systemDefault();
        }
    }

    /** The time zone in which local times are shown. */
    public ZoneId zone() {
        return timeZone.get();
    }

    /** What the application takes from these surroundings. */
    public Environment environment() {
        return new Environment(env, clock, stdin, user);
    }
}
