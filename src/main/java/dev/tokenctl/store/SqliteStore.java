package dev.tokenctl.store;

import dev.tokenctl.core.TokenctlException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The store in one SQLite file: WAL mode, foreign keys on, a busy timeout so that parallel
 * invocations wait for each other, and write transactions that take the write lock up front
 * ({@code BEGIN IMMEDIATE}) so two writers never deadlock on a lock upgrade.
 */
public final class SqliteStore extends JdbcStore {
    private final Duration busyTimeout;

    private SqliteStore(Connection connection, String location, Duration busyTimeout) {
        super(connection, location);
        this.busyTimeout = busyTimeout;
    }

    /**
     * Opens the store at {@code path}, creating its directory (0700) and file (0600) when they do
     * not exist, and brings its schema up to date in one transaction.
     *
     * @throws TokenctlException STORAGE when it cannot be opened, is not a store, or is newer
     */
    public static SqliteStore open(Path path, Duration busyTimeout) {
        String location = path.toString();
        // The driver reads these as an in-memory database or as URL parameters, not as a file:
        // changes would silently go nowhere.
        if (location.isEmpty() || location.equals(":memory:") || location.startsWith("file:") || location.contains("?")) {
            throw TokenctlException.invalid("store path '" + dev.tokenctl.core.Text.quoteSafe(location)
                    + "' is not a file path SQLite can use (give the path of a file, without '?')");
        }
        create(path);
        SQLiteConfig config = new SQLiteConfig();
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection connection = null;
        try {
            connection = config.createConnection("jdbc:sqlite:" + location);
            SqliteStore store = new SqliteStore(connection, location, busyTimeout);
            // Set here rather than in the config so that the busy timeout already applies: many
            // processes may open a new store at once, and switching it to WAL takes a lock.
            if (!"wal".equals(store.first("PRAGMA journal_mode", rs -> rs.getString(1)).orElse(""))) {
                store.execute("PRAGMA journal_mode = WAL");
            }
            Migrations.apply(store);
            return store;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw failure(e, location, busyTimeout);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static void create(Path path) {
        try {
            Path dir = path.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            if (!Files.exists(path)) {
                try {
                    Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    // The umask may have taken bits away; the owner must be able to read and write.
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
                } catch (FileAlreadyExistsException raced) {
                    // Another process created it first; it made it 0600 too.
                }
            }
        } catch (AccessDeniedException e) {
            throw new TokenctlException(TokenctlException.Kind.STORAGE, "cannot create the store at " + path
                    + ": permission denied on " + e.getFile() + " (choose a writable location with --db or TOKENCTL_DB)", e);
        } catch (IOException e) {
            throw new TokenctlException(TokenctlException.Kind.STORAGE, "cannot create the store at " + path + ": " + e
                    + " (choose a writable location with --db or TOKENCTL_DB)", e);
        }
    }

    @Override
    void begin() throws SQLException {
        connection.setAutoCommit(false);  // the driver begins: BEGIN IMMEDIATE
    }

    /**
     * Not commit() nor rollback(): the driver's begin the next transaction at once, which can
     * wait for, and fail on, a lock after this work is already committed. A raw ROLLBACK, then
     * auto-commit, whose COMMIT then finds nothing to commit.
     */
    @Override
    void end(boolean commit) throws SQLException {
        if (commit) {
            connection.setAutoCommit(true);
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // No transaction was open any more.
        }
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // "cannot commit - no transaction is active": auto-commit is back on all the same.
        }
    }

    @Override
    String engine() {
        return "sqlite";
    }

    @Override
    public Description describe() {
        Description description = super.describe();
        return new Description(description.engine(), Path.of(location).toAbsolutePath().normalize().toString(),
                description.schemaVersion());
    }

    @Override
    int schemaVersion() {
        return first("PRAGMA user_version", rs -> rs.getInt(1)).orElse(0);
    }

    @Override
    void writeSchemaVersion(int version) throws SQLException {
        execute("PRAGMA user_version = " + version);
    }

    @Override
    boolean holdsForeignTables() {
        return first("SELECT 1 FROM sqlite_master LIMIT 1", rs -> true).isPresent();
    }

    @Override
    List<String> migrationSteps() {
        return Migrations.SQLITE;
    }

    @Override
    TokenctlException failure(SQLException e) {
        return failure(e, location, busyTimeout);
    }

    /** Turns a driver error into one a person can act on; a duplicate name is a conflict. */
    static TokenctlException failure(SQLException e, String location, Duration busyTimeout) {
        SQLiteErrorCode code = e instanceof SQLiteException sqlite ? sqlite.getResultCode() : null;
        String message;
        TokenctlException.Kind kind = TokenctlException.Kind.STORAGE;
        if (code == null) {
            message = "store " + location + " failed: " + e.getMessage() + " (run with --verbose for details)";
        } else if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE && String.valueOf(e.getMessage()).contains("tokens.name")) {
            kind = TokenctlException.Kind.CONFLICT;
            message = "a token of that name already exists (choose another name, or revoke or rotate the existing one)";
        } else if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE && String.valueOf(e.getMessage()).contains("ip_filters.name")) {
            kind = TokenctlException.Kind.CONFLICT;
            message = "an IP filter of that name already exists (choose another name, or use 'tokenctl ipfilter update')";
        } else {
            message = switch (code.code & 0xff) {
                case 5, 6 -> "store " + location + " is locked by another process; gave up after "
                        + busyTimeout.toMillis() / 1000.0 + "s (try again when it is done)";
                case 26 -> "store " + location + " is not a tokenctl store: the file is not an SQLite database"
                        + " (point --db at the right file)";
                case 11 -> "store " + location + " is corrupt (restore it from a backup)";
                case 13 -> full(location);
                case 8, 10, 14, 23 -> diagnose(location, code);
                default -> "store " + location + " failed: " + code.name() + " (run with --verbose for details)";
            };
        }
        return new TokenctlException(kind, message, e);
    }

    private static String full(String location) {
        return "store " + location + ": the disk is full (free some space and try again)";
    }

    /** SQLite says little about open and I/O failures; the file system says which one it was. */
    private static String diagnose(String location, SQLiteErrorCode code) {
        Path file = Path.of(location).toAbsolutePath();
        Path dir = file.getParent();
        try {
            if (Files.getFileStore(dir).getUsableSpace() < 64 * 1024) {
                return full(location);
            }
        } catch (IOException | RuntimeException e) {
            // Fall through to the other checks.
        }
        if (dir != null && Files.isDirectory(dir) && !Files.isWritable(dir)) {
            return "store " + location + " cannot be written: its directory " + dir
                    + " is read-only (check its permissions, or use a store in a writable place)";
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            return "store " + location + " is read-only (check the permissions of the file and its directory)";
        }
        if ((code.code & 0xff) == 8) {
            return "store " + location + " is read-only (check the file, its directory and the file system)";
        }
        if ((code.code & 0xff) == 10) {
            return "store " + location + ": disk I/O error (check the disk and the file's permissions)";
        }
        return "store " + location + " cannot be opened (check that the path and its directory exist and are accessible)";
    }
}
