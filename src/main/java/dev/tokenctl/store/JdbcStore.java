package dev.tokenctl.store;

import dev.tokenctl.core.AuditEvent;
import dev.tokenctl.core.IpFilter;
import dev.tokenctl.core.Labels;
import dev.tokenctl.core.Permission;
import dev.tokenctl.core.Policy;
import dev.tokenctl.core.Store;
import dev.tokenctl.core.Token;
import dev.tokenctl.core.TokenQuery;
import dev.tokenctl.core.TokenctlException;
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

/**
 * The store in SQL, shared by both engines: every query is written once, in SQL that SQLite and
 * PostgreSQL read alike. A subclass says how a write transaction begins and ends, how the schema
 * version is kept, and what a driver error means to a person.
 */
abstract class JdbcStore implements Store {
    static final String TOKEN_COLUMNS = "id, name, description, permissions, created_at, expires_at, ip_filter,"
            + " revoked_at, revoke_reason, last_used_at, last_used_address, rotated_from, labels";

    final Connection connection;
    final String location;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, Set<Permission>> permissionSets = new HashMap<>();
    private int depth;

    JdbcStore(Connection connection, String location) {
        this.connection = connection;
        this.location = location;
    }

    /** Begins a write transaction that excludes other writers, waiting for them up to the lock timeout. */
    abstract void begin() throws SQLException;

    /** Ends the transaction, committing or rolling back, without beginning another. */
    abstract void end(boolean commit) throws SQLException;

    /** A driver error as a person can act on it; a duplicate name is a conflict. */
    abstract TokenctlException failure(SQLException e);

    /** The engine's name, as {@code store info} shows it. */
    abstract String engine();

    /** The schema version the store is at: 0 for a new one. */
    abstract int schemaVersion() throws SQLException;

    /** Records the schema version; runs inside the migrating transaction. */
    abstract void writeSchemaVersion(int version) throws SQLException;

    /** Whether the store at version 0 already holds tables that tokenctl did not make. */
    abstract boolean holdsForeignTables() throws SQLException;

    /** Runs inside the migrating transaction before the first step. */
    void beforeMigrating() throws SQLException {
    }

    /** The schema's steps in this engine's SQL, as {@link Migrations} lists them. */
    abstract List<String> migrationSteps();

    /** How many rows a query reads from the engine at a time; 0 leaves it to the driver. */
    int fetchSize() {
        return 0;
    }

    @Override
    public Description describe() {
        try {
            return new Description(engine(), location, schemaVersion());
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public Counts counts(Instant now) {
        // One pass over the tokens, however many there are: a scrape of /metrics runs this.
        return first("SELECT count(*) FILTER (WHERE " + WHERE_STATUS.get(Token.Status.ACTIVE) + "),"
                + " count(*) FILTER (WHERE " + WHERE_STATUS.get(Token.Status.RETIRING) + "),"
                + " count(*) FILTER (WHERE " + WHERE_STATUS.get(Token.Status.EXPIRED) + "),"
                + " count(*) FILTER (WHERE " + WHERE_STATUS.get(Token.Status.REVOKED) + "),"
                + " (SELECT count(*) FROM ip_filters), (SELECT count(*) FROM audit) FROM tokens",
                rs -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)),
                now, now, now, now, now, now).orElseThrow();
    }

    /**
     * Each status as a condition on a row, with one parameter (now) for each '?', as
     * {@link Token#status} decides it: revoked from revoked_at on; before that, expired from
     * expires_at on; otherwise retiring when revoked_at is set (a graced rotation), else active.
     */
    private static final Map<Token.Status, String> WHERE_STATUS = Map.of(
            Token.Status.ACTIVE, "(revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?))",
            Token.Status.RETIRING, "(revoked_at > ? AND (expires_at IS NULL OR expires_at > ?))",
            Token.Status.EXPIRED, "((revoked_at IS NULL OR revoked_at > ?) AND expires_at <= ?)",
            Token.Status.REVOKED, "(revoked_at <= ?)");

    @Override
    public <T> T transaction(Supplier<T> work) {
        if (depth > 0) {
            return work.get();
        }
        try {
            begin();
        } catch (SQLException e) {
            rollback();
            throw failure(e);
        }
        depth = 1;
        try {
            T result = work.get();
            end(true);
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

    private void rollback() {
        try {
            end(false);
        } catch (SQLException ignored) {
            // The transaction is gone either way; the error that got here is the one to report.
        }
    }

    boolean inTransaction() {
        return depth > 0;
    }

    private static final String INSERT_TOKEN = "INSERT INTO tokens (" + TOKEN_COLUMNS + ", secret_sha256)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    @Override
    public void insertToken(Token token, byte[] digest) {
        update(INSERT_TOKEN, tokenRow(token, digest));
    }

    @Override
    public void insertTokens(Collection<Credential> credentials) {
        batch(INSERT_TOKEN, credentials.stream().map(c -> tokenRow(c.token(), c.digest())).toList());
    }

    private static Object[] tokenRow(Token token, byte[] digest) {
        return new Object[] {token.id(), token.name(), token.description(), Permission.format(token.permissions()),
            token.createdAt(), token.expiresAt(), token.ipFilter(), token.revokedAt(), token.revokeReason(),
            token.lastUsedAt(), token.lastUsedAddress(), token.rotatedFrom(), Labels.encode(token.labels()), digest};
    }

    @Override
    public Optional<Token> token(String id) {
        return first("SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE id = ?", this::token, id);
    }

    @Override
    public Optional<Token> tokenByName(String name, Instant now) {
        return first("SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE name = ? AND (revoked_at IS NULL OR revoked_at <= ?)"
                + " ORDER BY revoked_at IS NOT NULL, revoked_at DESC LIMIT 1", this::token, name, now);
    }

    @Override
    public List<Token> retiringByName(String name, Instant now) {
        List<Token> tokens = new ArrayList<>();
        each("SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE name = ? AND revoked_at > ? ORDER BY created_at, id",
                rs -> tokens.add(token(rs)), name, now);
        return tokens;
    }

    @Override
    public boolean activeNameExists(String name, Instant now) {
        return first("SELECT 1 FROM tokens WHERE name = ? AND (revoked_at IS NULL OR revoked_at > ?)", rs -> true, name, now)
                .isPresent();
    }

    /** At most this many ids are looked up one by one. */
    private static final int FEW = 4;
    /** Ids looked up per query; shorter lists are padded, so there is one statement to prepare. */
    private static final int LOOKUP_CHUNK = 100;

    private static final String LOOKUP_ONE = "SELECT " + TOKEN_COLUMNS + ", secret_sha256 FROM tokens WHERE id = ?";
    private static final String LOOKUP_MANY = "SELECT " + TOKEN_COLUMNS + ", secret_sha256 FROM tokens WHERE id IN ("
            + String.join(",", Collections.nCopies(LOOKUP_CHUNK, "?")) + ")";

    @Override
    public Map<String, Credential> credentials(Collection<String> ids) {
        Map<String, Credential> found = new HashMap<>();
        RowHandler row = credentialInto(found);
        List<String> all = List.copyOf(new java.util.LinkedHashSet<>(ids));
        if (all.size() <= FEW) {
            // A few tokens, as a single verify, an HTTP check or an introspection asks: no list of 100 to bind.
            for (String id : all) {
                each(LOOKUP_ONE, row, id);
            }
            return found;
        }
        for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
            Object[] args = new Object[LOOKUP_CHUNK];
            List<String> chunk = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
            for (int i = 0; i < LOOKUP_CHUNK; i++) {
                args[i] = chunk.get(Math.min(i, chunk.size() - 1));
            }
            each(LOOKUP_MANY, row, args);
        }
        return found;
    }

    /** Reads a row of {@link #TOKEN_COLUMNS} followed by the digest into {@code found}. */
    RowHandler credentialInto(Map<String, Credential> found) {
        return rs -> {
            Token token = token(rs);
            found.put(token.id(), new Credential(token, rs.getBytes(14)));
        };
    }

    @Override
    public void forEachToken(TokenQuery query, Consumer<Token> sink) {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE " + where(query, args)
                + (query.order() == TokenQuery.Order.EXPIRES ? " ORDER BY expires_at, id" : " ORDER BY created_at, id");
        if (query.limit() < Integer.MAX_VALUE) {
            sql += " LIMIT ?";
            args.add(query.limit());
        }
        each(sql, rs -> sink.accept(token(rs)), args.toArray());
    }

    @Override
    public long countTokens(TokenQuery query) {
        List<Object> args = new ArrayList<>();
        return first("SELECT count(*) FROM tokens WHERE " + where(query, args), rs -> rs.getLong(1), args.toArray())
                .orElse(0L);
    }

    /** The query's conditions on a row, adding their parameters to {@code args}. */
    private static String where(TokenQuery query, List<Object> args) {
        StringJoiner statuses = new StringJoiner(" OR ", "(", ")");
        long now = query.now().toEpochMilli();
        for (Token.Status status : query.statuses()) {
            String condition = WHERE_STATUS.get(status);
            statuses.add(condition);
            condition.chars().filter(c -> c == '?').forEach(c -> args.add(now));
        }
        String where = query.statuses().isEmpty() ? "1 = 0" : statuses.toString();
        if (query.expiringBefore() != null) {
            where += " AND expires_at <= ?";
            args.add(query.expiringBefore().toEpochMilli());
        }
        return where;
    }

    @Override
    public void revokeToken(String id, Instant at, String reason) {
        update("UPDATE tokens SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND (revoked_at IS NULL OR revoked_at > ?)",
                at, reason, id, at);
    }

    @Override
    public void updateToken(Token token) {
        update("UPDATE tokens SET description = ?, permissions = ?, expires_at = ?, ip_filter = ?, labels = ? WHERE id = ?",
                token.description(), Permission.format(token.permissions()), token.expiresAt(), token.ipFilter(),
                Labels.encode(token.labels()), token.id());
    }

    @Override
    public void updateExpiry(String id, Instant expiresAt) {
        update("UPDATE tokens SET expires_at = ? WHERE id = ?", expiresAt, id);
    }

    private static final String RECORD_USE = "UPDATE tokens SET last_used_at = ?, last_used_address = ? WHERE id = ?"
            + " AND (last_used_at IS NULL OR last_used_at < ?)";

    @Override
    public void recordUse(String id, Instant at, String address) {
        update(RECORD_USE, at, address, id, at);
    }

    @Override
    public void recordUses(List<Use> uses) {
        batch(RECORD_USE, uses.stream().map(use -> new Object[] {use.at(), use.address(), use.id(), use.at()}).toList());
    }

    private static final String INSERT_AUDIT = "INSERT INTO audit (at, actor, action, token_id, details) VALUES (?,?,?,?,?)";

    @Override
    public void audit(AuditEvent event) {
        update(INSERT_AUDIT, auditRow(event));
    }

    @Override
    public void audit(List<AuditEvent> events) {
        batch(INSERT_AUDIT, events.stream().map(JdbcStore::auditRow).toList());
    }

    private static Object[] auditRow(AuditEvent event) {
        return new Object[] {event.at(), event.actor(), event.action(), event.tokenId(), event.details()};
    }

    @Override
    public void forEachAudit(Instant since, String tokenId, Consumer<AuditEvent> sink) {
        String sql = AUDIT_COLUMNS + " WHERE at >= ?";
        Instant from = since == null ? Instant.EPOCH : since;
        if (tokenId == null) {
            each(sql + " ORDER BY at, seq", auditReader(sink), from);
        } else {
            each(sql + " AND token_id = ? ORDER BY at, seq", auditReader(sink), from, tokenId);
        }
    }

    private static final String AUDIT_COLUMNS = "SELECT at, actor, action, token_id, details, seq FROM audit";

    private static RowHandler auditReader(Consumer<AuditEvent> sink) {
        return rs -> sink.accept(new AuditEvent(instant(rs, 1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getLong(6)));
    }

    @Override
    public void forEachAuditAfter(long seq, Consumer<AuditEvent> sink) {
        each(AUDIT_COLUMNS + " WHERE seq > ? ORDER BY seq", auditReader(sink), seq);
    }

    @Override
    public long lastAuditSeq() {
        return first("SELECT coalesce(max(seq), 0) FROM audit", rs -> rs.getLong(1)).orElse(0L);
    }

    @Override
    public Optional<Instant> lastAudit(String tokenId, String action, String details) {
        return first("SELECT max(at) AS at FROM audit WHERE token_id = ? AND action = ? AND details = ?",
                rs -> instant(rs, "at"), tokenId, action, details);
    }

    /** The policy's columns, each read by its name. */
    static final List<String> POLICY_COLUMNS = List.of("tokens_enabled", "max_expiry_seconds", "default_expiry_seconds",
            "enforced_ip_filter", "allow_permission_updates", "max_rotation_grace_seconds");

    @Override
    public Policy policy() {
        return first("SELECT " + String.join(", ", POLICY_COLUMNS) + " FROM policy WHERE id = 1", JdbcStore::policy)
                .orElse(Policy.DEFAULT);
    }

    /** The policy in a row that holds {@link #POLICY_COLUMNS}. */
    static Policy policy(ResultSet rs) throws SQLException {
        return new Policy(rs.getBoolean("tokens_enabled"), duration(rs, "max_expiry_seconds"),
                duration(rs, "default_expiry_seconds"), rs.getString("enforced_ip_filter"),
                rs.getBoolean("allow_permission_updates"), duration(rs, "max_rotation_grace_seconds"));
    }

    @Override
    public void savePolicy(Policy policy) {
        update("UPDATE policy SET tokens_enabled = ?, max_expiry_seconds = ?, default_expiry_seconds = ?,"
                        + " enforced_ip_filter = ?, allow_permission_updates = ?, max_rotation_grace_seconds = ? WHERE id = 1",
                policy.tokensEnabled(), seconds(policy.maxExpiry()), seconds(policy.defaultExpiry()),
                policy.enforcedIpFilter(), policy.allowPermissionUpdates(), seconds(policy.maxRotationGrace()));
    }

    @Override
    public Optional<IpFilter> ipFilter(String name) {
        return first("SELECT name, rules, created_at, updated_at FROM ip_filters WHERE name = ?",
                JdbcStore::ipFilter, name);
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
    public List<String> activeTokensUsingFilter(String name, Instant now) {
        List<String> names = new ArrayList<>();
        each("SELECT name FROM tokens WHERE ip_filter = ? AND (revoked_at IS NULL OR revoked_at > ?) ORDER BY name",
                rs -> names.add(rs.getString(1)), name, now);
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
        if (matchesNothing(args)) {
            return Optional.empty();
        }
        try (ResultSet rs = prepare(sql, args).executeQuery()) {
            return rs.next() ? Optional.ofNullable(reader.read(rs)) : Optional.empty();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    void each(String sql, RowHandler handler, Object... args) {
        if (matchesNothing(args)) {
            return;
        }
        try (ResultSet rs = prepare(sql, args).executeQuery()) {
            while (rs.next()) {
                handler.handle(rs);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * Whether a lookup by these values can find nothing without asking: no stored text holds a
     * NUL (core admits none), and PostgreSQL refuses even to compare with one, where SQLite
     * answers "no rows". Both engines answer alike.
     */
    private static boolean matchesNothing(Object... args) {
        for (Object arg : args) {
            if (arg instanceof String text && text.indexOf('\0') >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code sql} once for each row, sent together: one round trip where the driver can. */
    void batch(String sql, List<Object[]> rows) {
        try {
            PreparedStatement statement = null;
            for (Object[] row : rows) {
                statement = prepare(sql, row);
                statement.addBatch();
            }
            if (statement != null) {
                statement.executeBatch();
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
            statement.setFetchSize(fetchSize());
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
                    statement.setBoolean(i + 1, bool);
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
        return new Token(text(rs, 1), text(rs, 2), text(rs, 3), permissions(text(rs, 4)),
                instant(rs, 5), instant(rs, 6), text(rs, 7), instant(rs, 8), text(rs, 9), instant(rs, 10),
                text(rs, 11), text(rs, 12), Labels.decode(text(rs, 13)));
    }

    /** A text column, null for NULL: as the driver reads it, unless an engine knows a quicker way. */
    String text(ResultSet rs, int column) throws SQLException {
        return rs.getString(column);
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


    static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Nothing more can be done about a failing close.
            }
        }
    }
}
