package dev.tokenctl.store;

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
     * @param cacheDirectory where SQLite's native library is kept
     */
    public static Store open(String location, Map<String, String> env, String user, Duration lockTimeout, Path cacheDirectory) {
        if (PostgresLocation.matches(location)) {
            return PostgresStore.open(location, env, user, lockTimeout);
        }
        NativeLibrary.prepare(cacheDirectory);
        return SqliteStore.open(sqlitePath(location), lockTimeout);
    }

    /**
     * Readies the store at {@code location} on another thread, after running {@code alsoWarm}
     * there, while the command line is still being parsed: SQLite's native library, or a
     * connection to the PostgreSQL server, which {@link #open} with the same arguments takes.
     * A null location is one not known yet: only SQLite's library is readied.
     */
    public static void warmUp(String location, Map<String, String> env, String user, Duration lockTimeout,
                              Path cacheDirectory, Runnable alsoWarm) {
        if (location == null || !PostgresLocation.matches(location)) {
            NativeLibrary.warmUp(cacheDirectory, alsoWarm);
            return;
        }
        Runnable connect = PostgresStore.connectAhead(location, env, user, lockTimeout);
        Thread thread = new Thread(() -> {
            connect.run();  // the longest step first
            alsoWarm.run();
        }, "postgresql-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Loads what a first connection to PostgreSQL uses, for the start-up archive, without a
     * server: every class of the driver, the socket path up to a refused connection, and
     * SCRAM's key derivation. It halves the time of a first connection in a new JVM.
     */
    public static void loadPostgresClasses() {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(Path.of(
                org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toFile())) {
            ClassLoader loader = Stores.class.getClassLoader();
            for (java.util.jar.JarEntry entry : java.util.Collections.list(jar.entries())) {
                String name = entry.getName();
                if (name.endsWith(".class") && !name.startsWith("META-INF") && !name.endsWith("module-info.class")) {
                    try {
                        Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                    } catch (ClassNotFoundException | LinkageError e) {
                        // A class for a platform this is not (SSPI, OSGi): never loaded in a real run either.
                    }
                }
            }
            javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(
                    new javax.crypto.spec.PBEKeySpec("x".toCharArray(), new byte[16], 16, 256));
            PostgresStore.open("postgresql://train@127.0.0.1:1/train?connect_timeout=1", Map.of(), "train",
                    Duration.ofSeconds(1));
        } catch (Exception e) {
            // Refused, as intended; or the classes are not where expected, and runs are only slower.
        }
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
