package dev.tokenctl.store;

import dev.tokenctl.core.TokenctlException;
import java.sql.SQLException;
import java.util.List;

/**
 * The schema of both engines, side by side so that they change together. Step i of each list
 * takes a store from version i to i+1; all pending steps run in one write transaction, so a
 * store is never left half-migrated, and a concurrent start that migrated first is noticed
 * inside it. SQLite keeps the version in {@code PRAGMA user_version}, PostgreSQL in a table.
 */
final class Migrations {
    static final List<String> SQLITE = List.of(
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
            """,
            // 2: labels, and the rotation grace a policy allows (a future revoked_at is a retiring token).
            """
            ALTER TABLE tokens ADD COLUMN labels TEXT;
            ALTER TABLE policy ADD COLUMN max_rotation_grace_seconds INTEGER DEFAULT 3600;
            """);

    /**
     * The same tables in PostgreSQL, in the schema {@code tokenctl}: times as BIGINT epoch
     * milliseconds as in SQLite, and keys in the "C" collation so that they sort by code point
     * as SQLite's do, whatever the database's locale.
     */
    static final List<String> POSTGRES = List.of(
            """
            CREATE TABLE ip_filters (
                name TEXT COLLATE "C" PRIMARY KEY,
                rules TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            CREATE TABLE tokens (
                id TEXT COLLATE "C" PRIMARY KEY,
                name TEXT COLLATE "C" NOT NULL,
                description TEXT,
                permissions TEXT NOT NULL,
                secret_sha256 BYTEA NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT,
                ip_filter TEXT COLLATE "C",
                revoked_at BIGINT,
                revoke_reason TEXT,
                last_used_at BIGINT,
                last_used_address TEXT,
                rotated_from TEXT
            );
            CREATE UNIQUE INDEX tokens_unrevoked_name ON tokens (name) WHERE revoked_at IS NULL;
            CREATE INDEX tokens_name ON tokens (name, revoked_at);
            CREATE INDEX tokens_created ON tokens (created_at, id);
            CREATE INDEX tokens_ip_filter ON tokens (ip_filter) WHERE ip_filter IS NOT NULL;
            CREATE TABLE policy (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                tokens_enabled BOOLEAN NOT NULL,
                max_expiry_seconds BIGINT,
                default_expiry_seconds BIGINT,
                enforced_ip_filter TEXT COLLATE "C" REFERENCES ip_filters (name),
                allow_permission_updates BOOLEAN NOT NULL
            );
            INSERT INTO policy VALUES (1, TRUE, NULL, NULL, NULL, FALSE);
            CREATE TABLE audit (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                token_id TEXT COLLATE "C",
                details TEXT NOT NULL
            );
            CREATE INDEX audit_at ON audit (at);
            CREATE INDEX audit_token ON audit (token_id, action, at);
            """,
            """
            ALTER TABLE tokens ADD COLUMN labels TEXT;
            ALTER TABLE policy ADD COLUMN max_rotation_grace_seconds BIGINT DEFAULT 3600;
            """);

    /** The schema version this build writes. */
    static final int LATEST = SQLITE.size();

    private Migrations() {
    }

    static void apply(JdbcStore store) throws SQLException {
        int version = store.schemaVersion();
        if (version == LATEST) {
            return;
        }
        checkNotNewer(store, version);
        store.transaction(() -> {
            try {
                // Read again under the write lock: another process may have migrated meanwhile.
                int current = store.schemaVersion();
                checkNotNewer(store, current);
                if (current == 0 && store.holdsForeignTables()) {
                    throw new TokenctlException(TokenctlException.Kind.STORAGE, "store " + store.location + " is not a tokenctl store:"
                            + " it holds tables that tokenctl did not make (point --db at a tokenctl store or a new one)");
                }
                store.beforeMigrating();
                for (int step = current; step < LATEST; step++) {
                    for (String sql : store.migrationSteps().get(step).split(";\\s*\n")) {
                        if (!sql.isBlank()) {
                            store.execute(sql);
                        }
                    }
                }
                store.writeSchemaVersion(LATEST);
            } catch (SQLException e) {
                throw store.failure(e);
            }
            return null;
        });
    }

    private static void checkNotNewer(JdbcStore store, int version) {
        if (version > LATEST) {
            throw new TokenctlException(TokenctlException.Kind.STORAGE, "store " + store.location
                    + " was written by a newer tokenctl (schema version " + version + ", this one knows up to "
                    + LATEST + "; upgrade tokenctl)");
        }
    }
}
