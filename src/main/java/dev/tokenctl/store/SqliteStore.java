package dev.tokenctl.store;

import dev.tokenctl.core.Refusals;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.TokenctlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteOpenMode;

/**
 * The store in one SQLite file: WAL mode, foreign keys on, a busy timeout so that parallel
 * invocations wait for each other, and write transactions that take the write lock up front
 * ({@code BEGIN IMMEDIATE}) so two writers never deadlock on a lock upgrade.
 */
public final class SqliteStore extends JdbcStore {
    /** Paths in messages are cut after this many characters. */
    private static final int SHOWN = 400;

    private final Path path;
    private final Duration busyTimeout;
    /** The identity of the file opened, null when it could not be read. */
    private final Object fileKey;
    /** Whether a transaction of this connection committed: its close then empties the log. */
    private boolean wrote;

    /** JdbcStore's location is the path as messages show it: escaped, and any token in it hidden. */
    private SqliteStore(Connection connection, Path path, Duration busyTimeout, Object fileKey) {
        super(connection, shown(path.toString()));
        this.path = path;
        this.busyTimeout = busyTimeout;
        this.fileKey = fileKey;
    }

    /**
     * Opens the store at {@code path}, creating its directory (0700) and file (0600) when they do
     * not exist, and brings its schema up to date in one transaction.
     *
     * @throws TokenctlException INVALID when the driver would not read {@code path} as a plain file
     *     path; STORAGE when it cannot be opened, is not a store, or is newer
     */
    public static SqliteStore open(Path path, Duration busyTimeout) {
        return open(path, busyTimeout, true);
    }

    /**
     * Opens the store at {@code path} as {@link #open(Path, Duration)} does, or, without
     * {@code create}, only when its file exists: neither the file nor its directory is made.
     *
     * @throws TokenctlException STORAGE too when, without {@code create}, the file does not exist
     */
    public static SqliteStore open(Path path, Duration busyTimeout, boolean create) {
        String location = path.toString();
        checkPlainPath(location);
        if (create) {
            create(path);
        } else if (!Files.exists(path)) {
            throw new TokenctlException(TokenctlException.Kind.STORAGE, "store file " + shown(location)
                    + " does not exist (put the store back there, or point --db or TOKENCTL_DB at it)");
        }
        // Read before the connection opens: a file swapped in between then shows as replaced, and
        // costs one needless reopen, rather than the old file passing for current.
        Object key = fileKey(path);
        SQLiteConfig config = new SQLiteConfig();
        if (!create) {
            // The file may be deleted after the check above: SQLite would then create an empty one.
            config.resetOpenMode(SQLiteOpenMode.CREATE);
        }
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection connection = null;
        try {
            connection = config.createConnection("jdbc:sqlite:" + location);
            SqliteStore store = new SqliteStore(connection, path, busyTimeout, key);
            // Set here rather than in the config so that the busy timeout already applies: many
            // processes may open a new store at once, and switching it to WAL takes a lock.
            if (!"wal".equals(store.first("PRAGMA journal_mode", rs -> rs.getString(1)).orElse(""))) {
                store.execute("PRAGMA journal_mode = WAL");
            }
            Migrations.apply(store);
            return store;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw failure(e, path, busyTimeout);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * Whether the path still names the file this connection opened: not when another file was
     * renamed over it or it was deleted.
     */
    @Override
    public boolean current() {
        Object now = fileKey(path);
        return now != null && now.equals(fileKey);
    }

    @Override
    public void checkpoint() {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            // Busy, or the connection is gone: the log is emptied another time.
        }
    }

    /**
     * Empties the log first when this connection wrote: SQLite does so itself only when the last
     * connection to the store closes, and a server keeps its connections open.
     */
    @Override
    public void close() {
        if (wrote) {
            checkpoint();
        }
        super.close();
    }

    /**
     * Device and inode of the file the path names, null when there is none. Links are followed,
     * as SQLite follows them: the file read is the one a link points to, so a link pointed at
     * another file, or a file renamed over its target, is another store.
     */
    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Text as its UTF-8 bytes, decoded here: sqlite-jdbc's {@code getString} hands each value over
     * in a direct buffer made for the call, which costs a listing of 1,000 tokens more than its rows.
     */
    @Override
    String text(ResultSet rs, int column) throws SQLException {
        byte[] bytes = rs.getBytes(column);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Refuses what sqlite-jdbc would not open as the file that {@code store info} shows: a name
     * it reads as a database of its own (SQLite keeps names starting with ':' for that, such as
     * ':memory:', and the driver reads ':resource:' as a class-path resource or any URL, which it
     * opens or copies elsewhere), an SQLite URI ('file:'), parameters after '?', and trailing
     * spaces or control characters, which the driver trims from its URL. A name holding
     * 'mode=memory', which the driver hands to SQLite as it is, not made absolute, is still
     * that file.
     */
    private static void checkPlainPath(String location) {
        String why;
        if (location.isEmpty()) {
            why = "it is empty (give the path of a file)";
        } else if (location.startsWith(":")) {
            why = "SQLite reads a name that starts with ':' as a database of its own, and the driver ':resource:'"
                    + " as a resource or URL (prefix the path with ./ or give an absolute path)";
        } else if (location.startsWith("file:")) {
            why = "SQLite reads a name that starts with 'file:' as a URI (prefix the path with ./ or give an absolute path)";
        } else if (location.contains("?")) {
            why = "the driver reads what follows '?' as parameters (give the path of a file without '?')";
        } else if (location.charAt(location.length() - 1) <= ' ') {
            why = "the driver drops a space or control character at the end of a path, and would open another file"
                    + " (remove it)";
        } else {
            return;
        }
        throw TokenctlException.invalid("store path '" + shown(location) + "' is not a file path SQLite can use: " + why);
    }

    /** A path for a message: control characters escaped, a token pasted into it hidden, a long one cut. */
    static String shown(String path) {
        return Text.quoteSafe(path, SHOWN);
    }

    private static void create(Path path) {
        try {
            Path dir = path.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            if (Files.isSymbolicLink(path) && !Files.exists(path)) {
                // SQLite would create the file the link points to, with its own default mode.
                throw TokenctlException.invalid("store path '" + shown(path.toString()) + "' is a symbolic link to a file"
                        + " that does not exist (remove the link, or point --db or TOKENCTL_DB at the file itself)");
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
            throw new TokenctlException(TokenctlException.Kind.STORAGE, "cannot create the store at " + shown(path.toString())
                    + ": permission denied on " + shown(String.valueOf(e.getFile()))
                    + " (choose a writable location with --db or TOKENCTL_DB)", e);
        } catch (IOException e) {
            throw new TokenctlException(TokenctlException.Kind.STORAGE, "cannot create the store at " + shown(path.toString())
                    + ": " + shown(e.toString()) + " (choose a writable location with --db or TOKENCTL_DB)", e);
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
            wrote = true;
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
        return new Description(description.engine(), path.toAbsolutePath().normalize().toString(),
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
        return failure(e, path, busyTimeout);
    }

    /** Turns a driver error into one a person can act on; a duplicate name is a conflict. */
    static TokenctlException failure(SQLException e, Path path, Duration busyTimeout) {
        SQLiteErrorCode code = e instanceof SQLiteException sqlite ? sqlite.getResultCode() : null;
        String location = shown(path.toString());
        String message;
        if (code == null) {
            message = "store " + location + " failed: " + shown(String.valueOf(e.getMessage())) + " (run with --verbose for details)";
        } else if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE && String.valueOf(e.getMessage()).contains("tokens.name")) {
            return Refusals.Unique.TOKEN_NAME.taken(null);
        } else if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE && String.valueOf(e.getMessage()).contains("ip_filters.name")) {
            return Refusals.Unique.IP_FILTER_NAME.taken(null);
        } else {
            message = switch (code.code & 0xff) {
                case 5, 6 -> "store " + location + " is locked by another process; gave up after "
                        + busyTimeout.toMillis() / 1000.0 + "s (try again when it is done)";
                case 26 -> "store " + location + " is not a tokenctl store: the file is not an SQLite database"
                        + " (point --db at the right file)";
                case 11 -> "store " + location + " is corrupt (restore it from a backup)";
                case 13 -> full(location);
                case 8, 10, 14, 23 -> diagnose(path, code);
                default -> "store " + location + " failed: " + code.name() + " (run with --verbose for details)";
            };
        }
        return new TokenctlException(TokenctlException.Kind.STORAGE, message, e);
    }

    private static String full(String location) {
        return "store " + location + ": the disk is full (free some space and try again)";
    }

    /** SQLite says little about open and I/O failures; the file system says which one it was. */
    private static String diagnose(Path path, SQLiteErrorCode code) {
        String location = shown(path.toString());
        Path file = path.toAbsolutePath();
        Path dir = file.getParent();
        try {
            if (Files.getFileStore(dir).getUsableSpace() < 64 * 1024) {
                return full(location);
            }
        } catch (IOException | RuntimeException e) {
            // Fall through to the other checks.
        }
        if (dir != null && Files.isDirectory(dir) && !Files.isWritable(dir)) {
            return "store " + location + " cannot be written: its directory " + shown(dir.toString())
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
