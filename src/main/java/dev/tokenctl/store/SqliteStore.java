package dev.tokenctl.store;

import dev.tokenctl.core.AuditEvent;
import dev.tokenctl.core.IpFilter;
import dev.tokenctl.core.Permission;
import dev.tokenctl.core.Policy;
import dev.tokenctl.core.Store;
import dev.tokenctl.core.Token;
import dev.tokenctl.core.TokenQuery;
import dev.tokenctl.core.TokenctlException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The store in one SQLite file: WAL mode, foreign keys on, a busy timeout so that parallel
 * invocations wait for each other, and write transactions that take the write lock up front
 * ({@code BEGIN IMMEDIATE}) so two writers never deadlock on a lock upgrade.
 */
public final class SqliteStore implements Store {
    private static final String TOKEN_COLUMNS = "id, name, description, permissions, created_at, expires_at, ip_filter,"
            + " revoked_at, revoke_reason, last_used_at, last_used_address, rotated_from";

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, Set<Permission>> permissionSets = new HashMap<>();
    private final String location;
    private final Duration busyTimeout;
    private int depth;

    private SqliteStore(Connection connection, String location, Duration busyTimeout) {
        this.connection = connection;
        this.location = location;
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

    Connection connection() {
        return connection;
    }

    String location() {
        return location;
    }

    @Override
    public <T> T transaction(Supplier<T> work) {
        if (depth > 0) {
            return work.get();
        }
        try {
            connection.setAutoCommit(false);  // the driver begins: BEGIN IMMEDIATE
        } catch (SQLException e) {
            throw failure(e);
        }
        depth = 1;
        try {
            T result = work.get();
            // Not commit(): the driver's commit() begins the next transaction at once, which can
            // wait for, and fail on, a lock after this work is already committed.
            connection.setAutoCommit(true);
            return result;
        } catch (SQLException e) {
            rollback();
            throw failure(e);
        } catch (RuntimeException | Error e) {
            rollback();
            throw e;
        } finally {
            depth = 0;
        }
    }

    /**
     * Ends a failed transaction without starting another (as the driver's rollback() would):
     * ROLLBACK, then back to auto-commit, whose COMMIT then finds nothing to commit.
     */
    private void rollback() {
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
    public void insertToken(Token token, byte[] digest) {
        update("INSERT INTO tokens (" + TOKEN_COLUMNS + ", secret_sha256) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                token.id(), token.name(), token.description(), Permission.format(token.permissions()),
                token.createdAt(), token.expiresAt(), token.ipFilter(), token.revokedAt(), token.revokeReason(),
                token.lastUsedAt(), token.lastUsedAddress(), token.rotatedFrom(), digest);
    }

    @Override
    public Optional<Token> token(String id) {
        return first("SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE id = ?", this::token, id);
    }

    @Override
    public Optional<Token> tokenByName(String name) {
        return first("SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE name = ?"
                + " ORDER BY revoked_at IS NOT NULL, revoked_at DESC LIMIT 1", this::token, name);
    }

    @Override
    public boolean activeNameExists(String name) {
        return first("SELECT 1 FROM tokens WHERE name = ? AND revoked_at IS NULL", rs -> true, name).isPresent();
    }

    /** Ids looked up per query; shorter lists are padded, so there is one statement to prepare. */
    private static final int LOOKUP_CHUNK = 100;

    @Override
    public Map<String, Credential> credentials(Collection<String> ids) {
        Map<String, Credential> found = new HashMap<>();
        String sql = "SELECT " + TOKEN_COLUMNS + ", secret_sha256 FROM tokens WHERE id IN ("
                + String.join(",", Collections.nCopies(LOOKUP_CHUNK, "?")) + ")";
        List<String> all = List.copyOf(new java.util.LinkedHashSet<>(ids));
        for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
            Object[] args = new Object[LOOKUP_CHUNK];
            List<String> chunk = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
            for (int i = 0; i < LOOKUP_CHUNK; i++) {
                args[i] = chunk.get(Math.min(i, chunk.size() - 1));
            }
            each(sql, rs -> {
                Token token = token(rs);
                found.put(token.id(), new Credential(token, rs.getBytes(13)));
            }, args);
        }
        return found;
    }

    @Override
    public void forEachToken(TokenQuery query, Consumer<Token> sink) {
        StringJoiner statuses = new StringJoiner(" OR ", "(", ")");
        List<Object> args = new ArrayList<>();
        long now = query.now().toEpochMilli();
        for (Token.Status status : query.statuses()) {
            switch (status) {
                case ACTIVE -> {
                    statuses.add("(revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?))");
                    args.add(now);
                }
                case EXPIRED -> {
                    statuses.add("(revoked_at IS NULL AND expires_at <= ?)");
                    args.add(now);
                }
                case REVOKED -> statuses.add("revoked_at IS NOT NULL");
            }
        }
        String sql = "SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE " + (query.statuses().isEmpty() ? "0" : statuses);
        if (query.expiringBefore() != null) {
            sql += " AND expires_at <= ?";
            args.add(query.expiringBefore().toEpochMilli());
        }
        each(sql + " ORDER BY created_at, id", rs -> sink.accept(token(rs)), args.toArray());
    }

    @Override
    public void revokeToken(String id, Instant at, String reason) {
        update("UPDATE tokens SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL", at, reason, id);
    }

    @Override
    public void updatePermissions(String id, Set<Permission> permissions) {
        update("UPDATE tokens SET permissions = ? WHERE id = ?", Permission.format(permissions), id);
    }

    @Override
    public void updateExpiry(String id, Instant expiresAt) {
        update("UPDATE tokens SET expires_at = ? WHERE id = ?", expiresAt, id);
    }

    @Override
    public void recordUse(String id, Instant at, String address) {
        update("UPDATE tokens SET last_used_at = ?, last_used_address = ? WHERE id = ?"
                + " AND (last_used_at IS NULL OR last_used_at < ?)", at, address, id, at);
    }

    @Override
    public void audit(AuditEvent event) {
        update("INSERT INTO audit (at, actor, action, token_id, details) VALUES (?,?,?,?,?)",
                event.at(), event.actor(), event.action(), event.tokenId(), event.details());
    }

    @Override
    public void forEachAudit(Instant since, String tokenId, Consumer<AuditEvent> sink) {
        each("SELECT at, actor, action, token_id, details FROM audit WHERE at >= ? AND (? IS NULL OR token_id = ?)"
                        + " ORDER BY at, seq",
                rs -> sink.accept(new AuditEvent(instant(rs, "at"), rs.getString("actor"), rs.getString("action"),
                        rs.getString("token_id"), rs.getString("details"))),
                since == null ? Instant.EPOCH : since, tokenId, tokenId);
    }

    @Override
    public Optional<Instant> lastAudit(String tokenId, String action, String details) {
        return first("SELECT max(at) AS at FROM audit WHERE token_id = ? AND action = ? AND details = ?",
                rs -> instant(rs, "at"), tokenId, action, details);
    }

    @Override
    public Policy policy() {
        return first("SELECT tokens_enabled, max_expiry_seconds, default_expiry_seconds, enforced_ip_filter,"
                + " allow_permission_updates FROM policy WHERE id = 1", rs -> new Policy(
                rs.getBoolean("tokens_enabled"), duration(rs, "max_expiry_seconds"),
                duration(rs, "default_expiry_seconds"), rs.getString("enforced_ip_filter"),
                rs.getBoolean("allow_permission_updates")))
                .orElse(Policy.DEFAULT);
    }

    @Override
    public void savePolicy(Policy policy) {
        update("UPDATE policy SET tokens_enabled = ?, max_expiry_seconds = ?, default_expiry_seconds = ?,"
                        + " enforced_ip_filter = ?, allow_permission_updates = ? WHERE id = 1",
                policy.tokensEnabled(), seconds(policy.maxExpiry()), seconds(policy.defaultExpiry()),
                policy.enforcedIpFilter(), policy.allowPermissionUpdates());
    }

    @Override
    public Optional<IpFilter> ipFilter(String name) {
        return first("SELECT name, rules, created_at, updated_at FROM ip_filters WHERE name = ?",
                SqliteStore::ipFilter, name);
    }

    @Override
    public List<IpFilter> ipFilters() {
        List<IpFilter> filters = new ArrayList<>();
        each("SELECT name, rules, created_at, updated_at FROM ip_filters ORDER BY name",
                rs -> filters.add(ipFilter(rs)));
        return filters;
    }

    @Override
    public void insertIpFilter(IpFilter filter) {
        update("INSERT INTO ip_filters (name, rules, created_at, updated_at) VALUES (?,?,?,?)",
                filter.name(), filter.text(), filter.createdAt(), filter.updatedAt());
    }

    @Override
    public void updateIpFilter(IpFilter filter) {
        update("UPDATE ip_filters SET rules = ?, updated_at = ? WHERE name = ?", filter.text(), filter.updatedAt(),
                filter.name());
    }

    @Override
    public void deleteIpFilter(String name) {
        update("DELETE FROM ip_filters WHERE name = ?", name);
    }

    @Override
    public List<String> activeTokensUsingFilter(String name) {
        List<String> names = new ArrayList<>();
        each("SELECT name FROM tokens WHERE ip_filter = ? AND revoked_at IS NULL ORDER BY name",
                rs -> names.add(rs.getString(1)), name);
        return names;
    }

    @Override
    public void close() {
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // Closing the connection below releases it anyway.
            }
        }
        statements.clear();
        closeQuietly(connection);
    }

    // --- plumbing ---

    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    interface RowHandler {
        void handle(ResultSet rs) throws SQLException;
    }

    int update(String sql, Object... args) {
        try {
            return prepare(sql, args).executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    <T> Optional<T> first(String sql, RowReader<T> reader, Object... args) {
        try (ResultSet rs = prepare(sql, args).executeQuery()) {
            return rs.next() ? Optional.ofNullable(reader.read(rs)) : Optional.empty();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    void each(String sql, RowHandler handler, Object... args) {
        try (ResultSet rs = prepare(sql, args).executeQuery()) {
            while (rs.next()) {
                handler.handle(rs);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    /** The statement for {@code sql}, prepared once per connection and kept: a batch reuses it. */
    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        statement.clearParameters();
        try {
            for (int i = 0; i < args.length; i++) {
                Object arg = args[i];
                if (arg == null) {
                    statement.setNull(i + 1, Types.NULL);
                } else if (arg instanceof Instant instant) {
                    statement.setLong(i + 1, instant.toEpochMilli());
                } else if (arg instanceof Boolean bool) {
                    statement.setInt(i + 1, bool ? 1 : 0);
                } else {
                    statement.setObject(i + 1, arg);
                }
            }
            return statement;
        } catch (SQLException e) {
            statements.remove(sql);
            statement.close();
            throw e;
        }
    }

    /** Reads the columns of {@link #TOKEN_COLUMNS} by position: a batch verify reads many rows. */
    private Token token(ResultSet rs) throws SQLException {
        return new Token(rs.getString(1), rs.getString(2), rs.getString(3), permissions(rs.getString(4)),
                instant(rs, 5), instant(rs, 6), rs.getString(7), instant(rs, 8), rs.getString(9), instant(rs, 10),
                rs.getString(11), rs.getString(12));
    }

    /** Permission sets are stored as text; the few distinct ones are parsed once. */
    private Set<Permission> permissions(String text) {
        return permissionSets.computeIfAbsent(text, t -> t.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(Permission.parseList(t)));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static IpFilter ipFilter(ResultSet rs) throws SQLException {
        String text = rs.getString("rules");
        return new IpFilter(rs.getString("name"), text, IpFilter.parse(text).rules(), instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static Duration duration(ResultSet rs, String column) throws SQLException {
        long seconds = rs.getLong(column);
        return rs.wasNull() ? null : Duration.ofSeconds(seconds);
    }

    private static Long seconds(Duration duration) {
        return duration == null ? null : duration.getSeconds();
    }

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

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Nothing more can be done about a failing close.
            }
        }
    }
}
