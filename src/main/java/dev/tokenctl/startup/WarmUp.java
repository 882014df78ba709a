package dev.tokenctl.startup;

import dev.tokenctl.app.Application;
import dev.tokenctl.app.Environment;
import dev.tokenctl.core.TokenFormat;
import dev.tokenctl.core.TokenctlException;
import dev.tokenctl.store.EarlyConnection;
import dev.tokenctl.store.NativeLibrary;
import java.time.Duration;
import java.util.List;

/**
 * The slow first steps of a command, started on a second thread while the command line is
 * still being parsed; whoever comes second waits for the other:
 * <ul>
 * <li>on SQLite, the driver's native library and its loader, whose logger opens every jar on
 * the class path looking for SLF4J;
 * <li>on PostgreSQL, the connection to the server (the login is the longest step), which the
 * application takes when it opens the store;
 * <li>for token commands, the digest's security provider; for commands that issue tokens, the
 * secure random generator's first read of the OS's entropy;
 * <li>for commands that show local times (list, show), the system's time zone.
 * </ul>
 */
final class WarmUp {
    private WarmUp() {
    }

    /** Starts warming up for the command on {@code path}; {@code dbArgument} is the --db given before it. */
    static void start(Application application, List<String> path, String dbArgument) {
        if (path.isEmpty() || path.get(0).equals("permissions")) {
            return;
        }
        boolean tokens = path.get(0).equals("token");
        boolean issues = tokens && path.size() > 1 && (path.get(1).equals("create") || path.get(1).equals("rotate"));
        boolean times = path.size() > 1 && (path.get(1).equals("list") || path.get(1).equals("show"));
        String location;
        Duration timeout;
        try {
            location = CommandPath.ELSEWHERE.equals(dbArgument) ? null : application.location(dbArgument);
            timeout = application.lockTimeout();
        } catch (TokenctlException e) {
            return;  // the command reports it
        }
        // The server opens connections of its own, one per thread: one made ahead would be held unused.
        EarlyConnection early = path.get(0).equals("serve") ? null : EarlyConnection.to(location);
        if (early != null) {
            // Handed over before the thread starts, so that the store never misses it.
            application.connectingAhead(early);
        }
        // A class, not a lambda: see Cli's note on the objects made before the store is open.
        Thread thread = new Thread(new Steps(early, application.environment(), timeout, tokens, issues, times), "warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The store first, which the command needs first: meanwhile the command line is parsed and
     * SQLite's configuration built (its date formatter on the main thread).
     */
    private record Steps(EarlyConnection early, Environment environment, Duration timeout, boolean tokens,
                         boolean issues, boolean times) implements Runnable {
        @Override
        public void run() {
            if (early != null) {
                early.connect(environment.env(), environment.user(), timeout);
            } else {
                NativeLibrary.prepare(environment.cacheDirectory());
                try {
                    org.sqlite.SQLiteJDBCLoader.initialize();
                } catch (Exception | LinkageError e) {
                    // The connection will do this work itself, and report what fails.
                }
            }
            if (tokens) {
                TokenFormat.digest("");  // loads the security providers
            }
            if (issues) {
                Application.random().nextInt();
            }
            if (times) {
                java.time.ZoneId.systemDefault();
            }
        }
    }
}
