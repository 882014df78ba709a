package dev.tokenctl.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A connection to a PostgreSQL store's server begun before the store is opened, on another
 * thread (a first connection in a new JVM takes longer than parsing the command line), for
 * {@link Stores#open} to take, or the error it met; one never taken is closed by
 * {@link #discard}.
 */
public final class EarlyConnection {
    private final String url;
    private final CompletableFuture<Connection> connection = new CompletableFuture<>();

    private EarlyConnection(String url) {
        this.url = url;
    }

    /** A connection to begin for {@code location}, or null when it is not a PostgreSQL store. */
    static EarlyConnection to(String location) {
        return location != null && PostgresLocation.matches(location) ? new EarlyConnection(location) : null;
    }

    /** Connects; call it on the thread meant to wait for the server. */
    void connect(Map<String, String> env, String osUser, Duration lockTimeout) {
        try {
            connection.complete(PostgresStore.connect(PostgresLocation.parse(url, env, osUser).withPassword(env),
                    lockTimeout));
        } catch (Throwable e) {
            connection.completeExceptionally(e);
        }
    }

    /** Closes the connection once made, when no one took it. */
    public void discard() {
        connection.thenAccept(JdbcStore::closeQuietly);
    }

    /** The connection for {@code url}, waiting for it; null to connect anew. */
    Connection take(String url) throws SQLException {
        if (!this.url.equals(url)) {
            discard();
            return null;
        }
        try {
            return connection.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            discard();
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException failed) {
                throw failed;
            }
            return null;  // connect again, and meet the error there
        }
    }
}
