package dev.tokenctl.app;

import dev.tokenctl.core.Coalescer;
import dev.tokenctl.core.Durations;
import dev.tokenctl.core.IpFilterService;
import dev.tokenctl.core.PolicyService;
import dev.tokenctl.core.Session;
import dev.tokenctl.core.Store;
import dev.tokenctl.core.TokenFormat;
import dev.tokenctl.core.TokenService;
import dev.tokenctl.core.TokenctlException;
import dev.tokenctl.store.EarlyConnection;
import dev.tokenctl.store.Stores;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * tokenctl as every face uses it, the command line and the HTTP server alike: built from the
 * {@link Environment} the process runs in, it resolves where the store is, opens (creating or
 * migrating) and closes it, and builds the services that enforce the policy on it. It owns the
 * lock timeout and the generator of token secrets. Not thread-safe: one per command, or one
 * per thread of a server.
 */
public final class Application implements AutoCloseable {
    /** Default wait for a store locked by another process. */
    public static final Duration BUSY_TIMEOUT = Duration.ofSeconds(10);
    private static final Durations.Use LOCK_TIMEOUT = new Durations.Use("10s, 1m, 5m", null,
            "use " + Durations.format(Durations.MAX) + " or less");

    private final Environment environment;
    private final Consumer<String> warnings;
    private String dbArgument;
    private Store store;
    private EarlyConnection early;
    private boolean existingOnly;
    /** Shared by the applications of one server, or null. */
    private Coalescer<String, Store.Lookup> lookups;

    /** {@code warnings} receives one line each, such as a store others can read, for the face to show. */
    public Application(Environment environment, Consumer<String> warnings) {
        this.environment = environment;
        this.warnings = warnings;
    }

    public Environment environment() {
        return environment;
    }

    /**
     * Applications for the threads of a server on this application's store, with its environment
     * and warnings (an application is not thread-safe). The first may create the store, as any
     * command does; those after it open only a store that exists ({@link #existingOnly}). Their
     * stores share one {@link Coalescer}: on a server's store, the checks of many threads are
     * looked up together, one lookup in flight at a time.
     */
    public Supplier<Application> forServer() {
        AtomicBoolean first = new AtomicBoolean(true);
        Coalescer<String, Store.Lookup> shared = new Coalescer<>();
        return () -> {
            Application other = new Application(environment, warnings);
            other.dbArgument = dbArgument;
            other.lookups = shared;
            other.existingOnly = !first.getAndSet(false);
            return other;
        };
    }

    /** The store named on the command line (--db), which wins over TOKENCTL_DB; null for none. */
    public void selectStore(String dbArgument) {
        this.dbArgument = dbArgument;
    }

    /** --db, else $TOKENCTL_DB, else the file in the user's data directory. */
    public String storeLocation() {
        return location(dbArgument);
    }

    /**
     * Where the store is when {@code dbArgument} (a --db, or null) is given.
     *
     * @throws TokenctlException INVALID for a --db with a password in it
     */
    public String location(String dbArgument) {
        if (dbArgument != null) {
            Stores.refusePassword(dbArgument, "--db");
            return dbArgument;
        }
        String fromEnv = environment.variable("TOKENCTL_DB");
        if (fromEnv != null) {
            return fromEnv;
        }
        return environment.dataDirectory().resolve("tokens.db").toString();
    }

    /**
     * From now on the selected store is opened only when it exists: a store file gone from its
     * place is an error of kind STORAGE rather than a new, empty store, which a server would
     * answer from as if every token were unknown. The command line creates one on first use.
     */
    public void existingOnly() {
        existingOnly = true;
    }

    /** The store, opened (and created or migrated) on first use. */
    public Store store() {
        if (store == null) {
            store = open(storeLocation(), !existingOnly, lookups);
        }
        return store;
    }

    /**
     * Whether the store, when open, is still the one its location names ({@link Store#current});
     * true before it is opened, as it will be the one named then.
     */
    public boolean current() {
        return store == null || store.current();
    }

    /**
     * Opens another store than the selected one, such as the target of a copy; the caller
     * closes it.
     *
     * @throws TokenctlException INVALID for a location given with a password on the command
     *     line ({@code option} names it) or unusable; STORAGE when it cannot be opened
     */
    public Store open(String location, String option) {
        Stores.refusePassword(location, option);
        return open(location, true, null);
    }

    private Store open(String location, boolean create, Coalescer<String, Store.Lookup> gathered) {
        EarlyConnection connection = early;
        early = null;
        Store opened = Stores.open(location, environment.env(), environment.user(), lockTimeout(),
                environment.cacheDirectory(), connection, create, gathered);
        Path file = Stores.sqlitePath(location);
        if (file != null) {
            Exposure.of(file).forEach(warnings);
        }
        return opened;
    }

    /**
     * Begins, on a thread of its own, the slowest step of opening the store named by
     * {@code dbArgument} (a --db, or null) while the face gets on with its own work, then runs
     * {@code then} on that thread ({@link Stores#prepare}); {@link #store} takes a connection
     * begun so. A wrong guess of the location costs only time: a connection not taken is closed.
     */
    public void prepare(String dbArgument, Runnable then) {
        String location = null;
        Duration timeout = BUSY_TIMEOUT;
        try {
            location = location(dbArgument);
            timeout = lockTimeout();
        } catch (TokenctlException e) {
            // reported when the store is opened
        }
        early = Stores.prepare(location, environment.env(), environment.user(), timeout, environment.cacheDirectory(), then);
    }

    /**
     * How long to wait for a store locked by another process: TOKENCTL_LOCK_TIMEOUT, default 10s.
     *
     * @throws TokenctlException INVALID when the variable is not a duration
     */
    public Duration lockTimeout() {
        String value = environment.variable("TOKENCTL_LOCK_TIMEOUT");
        if (value == null) {
            return BUSY_TIMEOUT;
        }
        try {
            return Durations.parse(value, LOCK_TIMEOUT);
        } catch (TokenctlException e) {
            throw TokenctlException.invalid("TOKENCTL_LOCK_TIMEOUT: " + e.getMessage());
        }
    }

    /** The generator of token secrets, made once per process; its first use reads the OS's entropy. */
    public static SecureRandom random() {
        return Secure.RANDOM;
    }

    private static final class Secure {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    public Session session() {
        return new Session(store(), environment.clock(), environment.user());
    }

    public TokenService tokens() {
        return new TokenService(session(), new TokenFormat(random()));
    }

    public PolicyService policies() {
        return new PolicyService(session());
    }

    public IpFilterService ipFilters() {
        return new IpFilterService(session());
    }

    /** Closes the store, and a connection begun ahead that was never taken. */
    @Override
    public void close() {
        if (early != null) {
            early.discard();
            early = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
