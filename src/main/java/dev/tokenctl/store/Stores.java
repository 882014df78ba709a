package dev.tokenctl.store;

import dev.tokenctl.core.Coalescer;
import dev.tokenctl.core.Store;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.TokenctlException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Opens a store by its location: a file path or {@code sqlite:PATH} for SQLite, a
 * {@code postgresql://} or {@code jdbc:postgresql:} URL for PostgreSQL.
 */
public final class Stores {
    private Stores() {
    }

    /**
     * Opens, creating or migrating as needed, the store at {@code location}.
     *
     * @param env the environment: PGPASSWORD, PGPASSFILE, HOME and libpq's other defaults
     * @param user who runs tokenctl, libpq's default user name
     * @param cacheDirectory where SQLite's native library is kept; null for none
     * @param early a connection begun ahead for this location, or null
     */
    public static Store open(String location, Map<String, String> env, String user, Duration lockTimeout,
                             Path cacheDirectory, EarlyConnection early) {
        return open(location, env, user, lockTimeout, cacheDirectory, early, true, null);
    }

    /**
     * Opens the store at {@code location} as the other {@code open} does, or, without
     * {@code create}, an SQLite store only when its file exists. A PostgreSQL database is never
     * created here either way.
     *
     * @param lookups shared by the stores of one server: on PostgreSQL, their lookups of tokens
     *     are gathered, one in flight at a time; null for none
     *
     * @throws TokenctlException STORAGE too when, without {@code create}, the file does not exist
     */
    public static Store open(String location, Map<String, String> env, String user, Duration lockTimeout,
                             Path cacheDirectory, EarlyConnection early, boolean create,
                             Coalescer<String, Store.Lookup> lookups) {
        if (PostgresLocation.matches(location)) {
            return PostgresStore.open(location, env, user, lockTimeout, early, lookups);
        }
        NativeLibrary.prepare(cacheDirectory);
        return SqliteStore.open(sqlitePath(location), lockTimeout, create);
    }

    /**
     * Begins, on a thread of its own, the slowest first step of opening the store at
     * {@code location}: on PostgreSQL the connection to the server, returned for {@link #open}
     * to take; on SQLite the driver's native library, kept in {@code cacheDirectory} (null for
     * none), and its loader. Then runs {@code then} on that thread. What fails here, opening the
     * store meets again and reports.
     *
     * @return the connection begun, or null
     */
    public static EarlyConnection prepare(String location, Map<String, String> env, String user, Duration lockTimeout,
                                          Path cacheDirectory, Runnable then) {
        EarlyConnection early = location == null ? null : EarlyConnection.to(location);
        Thread thread = new Thread(() -> {
            if (early != null) {
                early.connect(env, user, lockTimeout);
            } else {
                NativeLibrary.prepare(cacheDirectory);
                try {
                    org.sqlite.SQLiteJDBCLoader.initialize();
                } catch (Exception | LinkageError e) {
                    // reported by the connection
                }
            }
            then.run();
        }, "prepare");
        thread.setDaemon(true);
        thread.start();
        return early;
    }

    /** Whether {@code location} names a PostgreSQL store rather than a file. */
    public static boolean isPostgres(String location) {
        return PostgresLocation.matches(location);
    }

    /**
     * The file of an SQLite location, or null for a server's URL.
     *
     * @throws TokenctlException INVALID for a URL of another scheme (a JDBC URL of another driver
     *     too, which would otherwise be a relative path named so) or a path no file can have
     */
    public static Path sqlitePath(String location) {
        if (PostgresLocation.matches(location)) {
            return null;
        }
        String path = location;
        if (location.startsWith("sqlite:")) {
            path = location.substring("sqlite:".length());
            path = path.startsWith("//") ? path.substring(2) : path;
        } else if (location.matches("(?s)[A-Za-z][A-Za-z0-9+.-]*://.*|jdbc:[A-Za-z0-9+.-]+:.*")) {
            throw TokenctlException.invalid("store URL '" + Text.quoteSafe(PostgresLocation.masked(location), 200)
                    + "' has an unknown scheme (use a file path, sqlite:PATH or postgresql://user@host:5432/dbname)");
        }
        try {
            return Path.of(path);
        } catch (java.nio.file.InvalidPathException e) {
            throw TokenctlException.invalid("store path '" + SqliteStore.shown(path) + "' is not a file path SQLite can use: "
                    + e.getReason() + " (give the path of a file)");
        }
    }

    /**
     * Refuses a location with a password in it, for locations given as arguments: other users
     * see a command line in the process list, and shells keep it in their history.
     */
    public static void refusePassword(String location, String option) {
        if (PostgresLocation.matches(location) && PostgresLocation.hasPassword(location)) {
            throw TokenctlException.invalid(option + " has a password in its URL, where other users can read it"
                    + " (remove it, and set PGPASSWORD or add a line to ~/.pgpass, mode 0600)");
        }
    }
}
