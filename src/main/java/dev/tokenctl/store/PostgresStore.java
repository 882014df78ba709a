package dev.tokenctl.store;

import dev.tokenctl.core.AuditEvent;
import dev.tokenctl.core.Coalescer;
import dev.tokenctl.core.Policy;
import dev.tokenctl.core.Refusals;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.Token;
import dev.tokenctl.core.TokenQuery;
import dev.tokenctl.core.TokenctlException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The store on a PostgreSQL server, in the schema {@code tokenctl} of a database that many hosts
 * share. Write transactions take one transaction-scoped advisory lock first, so writers run one
 * at a time as they do on SQLite ({@code BEGIN IMMEDIATE}), and every check-then-write in core
 * (a free name, an active token, the policy in force) holds until the commit.
 *
 * <p>Tokens are looked up by any number of ids in one statement, the ids bound as one array; the
 * policy comes with them in the same statement when a check asks for both. The stores of one
 * server may share a {@link Coalescer}: while one of them looks tokens up, the checks of the others
 * wait and are answered together by the next lookup, one round trip for them all.
 */
public final class PostgresStore extends JdbcStore {
    /** The advisory lock that write transactions take: "tokenctl" in ASCII. */
    private static final long WRITE_LOCK = 0x746f6b656e63746cL;
    private static final String SCHEMA = "tokenctl";

    private final PostgresLocation where;
    private final Duration lockTimeout;
    /** Shared with the other stores of a server, or null. */
    private final Coalescer<String, Lookup> lookups;

    /** JdbcStore's location is the URL as messages show it: escaped, and any token in it hidden. */
    private PostgresStore(Connection connection, PostgresLocation where, Duration lockTimeout, Coalescer<String, Lookup> lookups) {
        super(connection, shown(where.toString()));
        this.where = where;
        this.lockTimeout = lockTimeout;
        this.lookups = lookups;
    }

    /**
     * Connects to the store at {@code url}, with the password from the URL, {@code PGPASSWORD} or
     * the password file in {@code env}, and brings its schema up to date.
     *
     * @param lookups gathers the lookups of this store and others on the same database, or null
     *
     * @throws TokenctlException INVALID for a malformed URL, STORAGE when the server cannot be
     *     used, with what to check
     */
    static PostgresStore open(String url, Map<String, String> env, String osUser, Duration lockTimeout, EarlyConnection early,
                              Coalescer<String, Lookup> lookups) {
        PostgresLocation where = PostgresLocation.parse(url, env, osUser).withPassword(env);
        Connection connection = null;
        try {
            connection = early == null ? null : early.take(url);
            if (connection == null) {
                connection = connect(where, lockTimeout);
            }
            PostgresStore store = new PostgresStore(connection, where, lockTimeout, lookups);
            Migrations.apply(store);
            return store;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw failure(e, where, lockTimeout);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    static Connection connect(PostgresLocation where, Duration lockTimeout) throws SQLException {
        java.util.Properties properties = where.connectionProperties();
        properties.setProperty("currentSchema", SCHEMA);
        properties.setProperty("reWriteBatchedInserts", "true");  // a batch of inserts as multi-row ones
        // Sent with the login, saving a round trip. A lock timeout of 0 would mean "wait for ever"
        // to PostgreSQL; to tokenctl it means "do not wait". Read committed whatever the server's
        // default: each statement after the write lock must see what the writer before committed,
        // where a snapshot taken at the lock's statement would not.
        properties.setProperty("options", "-c lock_timeout=" + Math.max(1, Math.min(Integer.MAX_VALUE, lockTimeout.toMillis()))
                + " -c default_transaction_isolation=read\\ committed");
        // A server that accepts the connection and then says nothing (a hung host, a half-open
        // connection) ends a call with an error instead of holding it for ever: the login within
        // 10 s, and any read within the lock timeout and 30 s more, since a statement may wait
        // for a lock that long without a word.
        properties.putIfAbsent("loginTimeout", "10");
        properties.setProperty("socketTimeout", Long.toString(Math.min(Integer.MAX_VALUE / 2, lockTimeout.toSeconds()) + 30));
        if (where.password() == null) {
            // Else the driver looks for one itself: in the JVM's user.home rather than HOME, and in
            // a password file that others may read, which libpq, and so tokenctl, ignores.
            properties.setProperty("authenticationPluginClassName", NoPassword.class.getName());
        }
        return new org.postgresql.Driver().connect(where.jdbcUrl(), properties);
    }

    /** What the driver asks for a password when tokenctl found none: none. */
    public static final class NoPassword implements org.postgresql.plugin.AuthenticationPlugin {
        @Override
        public char[] getPassword(org.postgresql.plugin.AuthenticationRequestType type) {
            return null;
        }
    }

    @Override
    void begin() throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + WRITE_LOCK + ")");
        }
    }

    @Override
    void end(boolean commit) throws SQLException {
        try {
            if (commit) {
                connection.commit();
            } else {
                connection.rollback();
            }
        } finally {
            connection.setAutoCommit(true);
        }
    }

    @Override
    String engine() {
        return "postgresql";
    }

    @Override
    public Description describe() {
        Description description = super.describe();
        return new Description(description.engine(), where.toString(), description.schemaVersion());
    }

    /** One round trip when the store exists; a new one has no version table yet. */
    @Override
    int schemaVersion() throws SQLException {
        boolean inTransaction = inTransaction();
        if (inTransaction) {
            execute("SAVEPOINT version");
        }
        try (Statement statement = connection.createStatement();
             java.sql.ResultSet rs = statement.executeQuery("SELECT max(version) FROM " + SCHEMA + ".schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            if (!"42P01".equals(e.getSQLState())) {  // undefined_table
                throw e;
            }
            if (inTransaction) {
                execute("ROLLBACK TO SAVEPOINT version");
            }
            return 0;
        }
    }

    @Override
    void writeSchemaVersion(int version) throws SQLException {
        execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".schema_version (version INTEGER NOT NULL)");
        execute("DELETE FROM " + SCHEMA + ".schema_version");
        execute("INSERT INTO " + SCHEMA + ".schema_version VALUES (" + version + ")");
    }

    @Override
    boolean holdsForeignTables() {
        return first("SELECT 1 FROM pg_tables WHERE schemaname = '" + SCHEMA + "' LIMIT 1", rs -> true).isPresent();
    }

    /**
     * Makes the schema unless it exists: CREATE SCHEMA needs the CREATE privilege on the
     * database, which a user given a schema made for it by an administrator may not have.
     */
    @Override
    void beforeMigrating() throws SQLException {
        if (first("SELECT 1 FROM pg_namespace WHERE nspname = '" + SCHEMA + "'", rs -> true).isEmpty()) {
            execute("CREATE SCHEMA " + SCHEMA);
        }
    }

    @Override
    List<String> migrationSteps() {
        return Migrations.POSTGRES;
    }

    /** Rows come in pages of this many; without a transaction the driver would read them all at once. */
    @Override
    int fetchSize() {
        return 1000;
    }

    private static final String CREDENTIALS = "SELECT " + TOKEN_COLUMNS + ", secret_sha256 FROM tokens WHERE id = ANY(?)";
    private static final String LOOKUP = "SELECT t." + TOKEN_COLUMNS.replace(", ", ", t.") + ", t.secret_sha256, p."
            + String.join(", p.", POLICY_COLUMNS) + " FROM policy p LEFT JOIN tokens t ON t.id = ANY(?) WHERE p.id = 1";

    @Override
    public Map<String, Credential> credentials(Collection<String> ids) {
        Map<String, Credential> found = new HashMap<>();
        each(CREDENTIALS, credentialInto(found), (Object) idArray(ids));
        return found;
    }

    @Override
    public Lookup lookup(Collection<String> ids) {
        return lookups == null ? lookupNow(ids) : lookups.get(ids, this::lookupNow);
    }

    /** The policy and the tokens in one statement: the policy's one row, with each token found joined to it. */
    private Lookup lookupNow(Collection<String> ids) {
        Map<String, Credential> found = new HashMap<>();
        Policy[] policy = {null};
        RowHandler credential = credentialInto(found);
        each(LOOKUP, rs -> {
            policy[0] = policy(rs);
            if (rs.getString(1) != null) {
                credential.handle(rs);
            }
        }, (Object) idArray(ids));
        // Without its row (removed by hand) the policy reads as the default, as policy() reads it.
        return policy[0] == null ? new Lookup(Policy.DEFAULT, credentials(ids)) : new Lookup(policy[0], found);
    }

    /** The ids as one array parameter; none holding a NUL, which PostgreSQL refuses and no id holds. */
    private static String[] idArray(Collection<String> ids) {
        return ids.stream().filter(id -> id.indexOf('\0') < 0).distinct().toArray(String[]::new);
    }

    @Override
    public void forEachToken(TokenQuery query, Consumer<Token> sink) {
        paged(() -> super.forEachToken(query, sink));
    }

    @Override
    public void forEachAudit(Instant since, String tokenId, Consumer<AuditEvent> sink) {
        paged(() -> super.forEachAudit(since, tokenId, sink));
    }

    /** Runs a long read in a read-only transaction, the one way the driver reads rows a page at a time. */
    private void paged(Runnable read) {
        if (inTransaction()) {
            read.run();
            return;
        }
        try {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);  // the driver begins with BEGIN READ ONLY
        } catch (SQLException e) {
            throw failure(e);
        }
        try {
            read.run();
        } finally {
            try {
                end(false);
                connection.setReadOnly(false);
            } catch (SQLException ignored) {
                // Nothing was written; a broken connection is reported by the next statement.
            }
        }
    }

    @Override
    TokenctlException failure(SQLException e) {
        return failure(e, where, lockTimeout);
    }

    /**
     * Turns a driver error into one line naming what to check; a duplicate name is a conflict.
     * What comes from the URL, the environment or the server is shown escaped.
     */
    static TokenctlException failure(SQLException e, PostgresLocation where, Duration lockTimeout) {
        String state = String.valueOf(e.getSQLState());
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        String constraint = server == null ? null : server.getConstraint();
        String said = server == null ? String.valueOf(e.getMessage()) : server.getMessage();
        String at = "PostgreSQL at " + shown(where.server());
        String store = "store " + shown(where.toString());
        String user = shown(where.user());
        String database = shown(where.database());
        Throwable cause = e.getCause();
        String message;
        if (state.equals("23505") && "tokens_unrevoked_name".equals(constraint)) {
            return Refusals.Unique.TOKEN_NAME.taken(null);
        } else if (state.equals("23505") && "ip_filters_pkey".equals(constraint)) {
            return Refusals.Unique.IP_FILTER_NAME.taken(null);
        } else if (state.equals("28P01")) {
            message = at + " refused the password of user '" + user + "'"
                    + (where.password() == null ? "" : ", from " + shown(where.passwordSource()))
                    + " (check it: tokenctl reads the URL, then PGPASSWORD, then ~/.pgpass)";
        } else if (state.equals("08004") && said.contains("password")) {
            String ignored = where.passwordSource() == null ? null
                    : shown(where.passwordSource().substring(PostgresLocation.IGNORED.length()));
            message = at + " wants a password for user '" + user + "' and none was found"
                    + (ignored == null ? " (set PGPASSWORD, or add a line for this server to ~/.pgpass, mode 0600)"
                    : ": " + ignored + " is ignored, since others may read it (chmod 600 " + ignored + ")");
        } else if (state.equals("08004") && said.contains("SSL")) {
            message = at + " does not offer TLS, and the URL's sslmode requires it"
                    + " (enable ssl on the server, or change sslmode in the URL)";
        } else if (state.equals("28000")) {
            message = at + " does not let user '" + user + "' in: " + shown(said)
                    + " (check the server's pg_hba.conf, and sslmode in the URL)";
        } else if (cause instanceof SSLException
                || server == null && (said.contains("SSL") || said.contains("could not be verified"))) {
            String why = cause instanceof SSLException ? String.valueOf(cause.getMessage()) : said;
            if (why.contains("PKIX")) {
                why = "its certificate is not signed by one in sslrootcert (or ~/.postgresql/root.crt)";
            } else if (said.contains("could not be verified")) {
                why = "its certificate is not for the host in the URL";
            }
            message = "TLS with " + at + " failed: " + shown(why)
                    + " (check the server's certificate, sslrootcert=FILE in the URL or ~/.postgresql/root.crt,"
                    + " and sslmode)";
        } else if (state.equals("3D000")) {
            message = "database '" + database + "' does not exist on " + at + " (create it, for example with 'createdb -O "
                    + user + " " + database + "', or correct the URL)";
        } else if (state.equals("42501")) {
            message = "user '" + user + "' lacks a privilege on " + store + ": " + shown(said)
                    + " (ask the database's owner to grant it; tokenctl keeps its tables in the schema 'tokenctl')";
        } else if (state.equals("55P03")) {
            message = store + " is locked by another process; gave up after " + lockTimeout.toMillis() / 1000.0
                    + "s (try again when it is done)";
        } else if (state.equals("40001") || state.equals("40P01")) {
            message = store + ": another writer's change conflicted with this one; nothing was written (try again)";
        } else if (state.equals("25006")) {
            message = at + " is read-only (point the URL at the primary server)";
        } else if (state.equals("53100")) {
            message = at + " has no disk space left (free some on the server)";
        } else if (cause instanceof UnknownHostException) {
            message = "cannot find the host of " + store + ": unknown host " + shown(cause.getMessage())
                    + " (check the host in the URL)";
        } else if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                || cause instanceof SocketTimeoutException) {
            message = "cannot reach " + at + ": " + shown(cause.getMessage())
                    + " (check that the server is running and that the host and port in the URL are right)";
        } else if (state.startsWith("08") || state.equals("57P01")) {
            message = "lost the connection to " + at + ": " + shown(said) + " (check the server and the network, then try again)";
        } else {
            message = store + " failed: " + shown(said) + " (run with --verbose for details)";
        }
        return new TokenctlException(TokenctlException.Kind.STORAGE, message, e);
    }

    /** Text from the URL, the environment, the driver or the server, for a message. */
    private static String shown(String text) {
        return Text.quoteSafe(String.valueOf(text), 300);
    }
}
