package dev.tokenctl.store;

import dev.tokenctl.core.TokenctlException;
import java.sql.SQLException;
import java.util.List;

/**
 * The schema, versioned with {@code PRAGMA user_version}. Each entry of {@link #STEPS} takes the
 * store from version i to i+1; all pending steps run in one transaction, so a store is never
 * left half-migrated, and a concurrent start that migrated first is noticed inside it.
 */
final class Migrations {
    static final List<String> STEPS = List.of(
            """
            CREATE TABLE ip_filters (
                name TEXT PRIMARY KEY,
                rules TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            CREATE TABLE tokens (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                description TEXT,
                permissions TEXT NOT NULL,
                secret_sha256 BLOB NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER,
                ip_filter TEXT,
                revoked_at INTEGER,
                revoke_reason TEXT,
                last_used_at INTEGER,
                last_used_address TEXT,
                rotated_from TEXT
            );
            CREATE UNIQUE INDEX tokens_unrevoked_name ON tokens (name) WHERE revoked_at IS NULL;
            CREATE INDEX tokens_name ON tokens (name, revoked_at);
            CREATE INDEX tokens_created ON tokens (created_at, id);
            CREATE INDEX tokens_ip_filter ON tokens (ip_filter) WHERE ip_filter IS NOT NULL;
            CREATE TABLE policy (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                tokens_enabled INTEGER NOT NULL,
                max_expiry_seconds INTEGER,
                default_expiry_seconds INTEGER,
                enforced_ip_filter TEXT REFERENCES ip_filters (name),
                allow_permission_updates INTEGER NOT NULL
            );
            INSERT INTO policy VALUES (1, 1, NULL, NULL, NULL, 0);
            CREATE TABLE audit (
                seq INTEGER PRIMARY KEY,
                at INTEGER NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                token_id TEXT,
                details TEXT NOT NULL
            );
            CREATE INDEX audit_at ON audit (at);
            CREATE INDEX audit_token ON audit (token_id, action, at);
            """);

    /** The schema version this build writes. */
    static final int LATEST = STEPS.size();

    private Migrations() {
    }

    static void apply(SqliteStore store) throws SQLException {
        int version = version(store);
        if (version == LATEST) {
            return;
        }
        checkNotNewer(store, version);
        store.transaction(() -> {
            // Read again under the write lock: another process may have migrated meanwhile.
            int current = version(store);
            checkNotNewer(store, current);
            if (current == 0 && store.first("SELECT 1 FROM sqlite_master LIMIT 1", rs -> true).isPresent()) {
                throw new TokenctlException(TokenctlException.Kind.STORAGE, "store " + store.location()
                        + " is an SQLite database but not a tokenctl store (point --db at a tokenctl store or a new path)");
            }
            try {
                for (int step = current; step < LATEST; step++) {
                    for (String sql : STEPS.get(step).split(";\\s*\n")) {
                        if (!sql.isBlank()) {
                            store.execute(sql);
                        }
                    }
                }
                store.execute("PRAGMA user_version = " + LATEST);
            } catch (SQLException e) {
                throw store.failure(e);
            }
            return null;
        });
    }

    private static int version(SqliteStore store) {
        return store.first("PRAGMA user_version", rs -> rs.getInt(1)).orElse(0);
    }

    private static void checkNotNewer(SqliteStore store, int version) {
        if (version > LATEST) {
            throw new TokenctlException(TokenctlException.Kind.STORAGE, "store " + store.location()
                    + " was written by a newer tokenctl (schema version " + version + ", this one knows up to "
                    + LATEST + "; upgrade tokenctl)");
        }
    }
}
