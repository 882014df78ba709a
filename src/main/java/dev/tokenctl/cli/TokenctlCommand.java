package dev.tokenctl.cli;

import dev.tokenctl.core.IpFilterService;
import dev.tokenctl.core.PolicyService;
import dev.tokenctl.core.Session;
import dev.tokenctl.core.Store;
import dev.tokenctl.core.TokenFormat;
import dev.tokenctl.core.TokenService;
import dev.tokenctl.store.Stores;
import dev.tokenctl.core.Durations;
import dev.tokenctl.core.TokenctlException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.security.SecureRandom;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: global options, and the store and services they select, opened on first use. */
@Command(name = "tokenctl", scope = ScopeType.INHERIT,
        versionProvider = VersionProvider.class, sortOptions = false,
        description = "Administer system API tokens on a local or shared store: create, list, verify, rotate and revoke them.")
public final class TokenctlCommand {
    /** Default wait for a store locked by another process. */
    static final Duration BUSY_TIMEOUT = Duration.ofSeconds(10);

    @Option(names = "--db", paramLabel = "PATH|URL", scope = ScopeType.INHERIT,
            description = "The store: a file, or postgresql://user@host:5432/dbname for a shared one (default: $TOKENCTL_DB,"
                    + " else $${XDG_DATA_HOME:-~/.local/share}/tokenctl/tokens.db).")
    String db;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT, defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Output.Format output;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    boolean verbose;

    // Inherited options rather than picocli's standard help mixin, which every subcommand would
    // build anew by reflection on every start.
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
            description = "Show this help message and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, scope = ScopeType.INHERIT,
            description = "Print version information and exit.")
    boolean version;

    final Context context;
    PrintWriter err;
    private Store store;

    TokenctlCommand(Context context) {
        this.context = context;
    }

    /** The store, opened (and created or migrated) on first use. */
    Store store() {
        if (store == null) {
            store = open(storeLocation());
        }
        return store;
    }

    /** Opens another store than the one --db names, such as the target of a copy. */
    Store open(String location) {
        Store opened = Stores.open(location, context.env(), context.user(), lockTimeout(), cacheDirectory());
        Path file = Stores.sqlitePath(location);
        if (file != null) {
            warnIfExposed(file);
        }
        return opened;
    }

    /**
     * Starts the slow first steps of the command on {@code path} on another thread while the
     * command line is still being parsed: readying the store (its driver, or a connection to
     * its server), for token commands the digest, and for commands that issue tokens the
     * secure random generator. {@code dbArgument} is the --db given before the command.
     */
    void warmUp(List<String> path, String dbArgument) {
        if (path.isEmpty() || path.get(0).equals("permissions")) {
            return;
        }
        boolean tokens = path.get(0).equals("token");
        boolean issues = tokens && path.size() > 1 && (path.get(1).equals("create") || path.get(1).equals("rotate"));
        String location;
        Duration timeout;
        try {
            location = Cli.ELSEWHERE.equals(dbArgument) ? null : location(dbArgument);
            timeout = lockTimeout();
        } catch (TokenctlException e) {
            return;  // the command reports it
        }
        Stores.warmUp(location, context.env(), context.user(), timeout, cacheDirectory(), () -> {
            if (tokens) {
                TokenFormat.digest("");  // loads the security providers
            }
            if (issues) {
                Secure.RANDOM.nextInt();
            }
        });
    }

    /** The generator of token secrets, made once; its first use reads the OS's entropy. */
    static final class Secure {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    /** How long to wait for a store locked by another process: TOKENCTL_LOCK_TIMEOUT, default 10s. */
    private Duration lockTimeout() {
        String value = context.env().get("TOKENCTL_LOCK_TIMEOUT");
        if (value == null || value.isEmpty()) {
            return BUSY_TIMEOUT;
        }
        try {
            return Durations.parse(value);
        } catch (TokenctlException e) {
            throw TokenctlException.invalid("TOKENCTL_LOCK_TIMEOUT: " + e.getMessage());
        }
    }

    /**
     * Warns, one line each on stderr, when users other than the owner may do anything with the
     * store's file, and when they may write to its directory: there they can replace the store,
     * or, sticky or not, create its -wal and -shm files, which SQLite removes and makes again.
     */
    private void warnIfExposed(Path path) {
        String store = dev.tokenctl.core.Text.quoteSafe(path.toString(), 400);
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            boolean read = permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ);
            boolean write = permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE);
            if (permissions.stream().anyMatch(p -> !p.name().startsWith("OWNER_"))) {
                String what = read && write ? "readable and writable by" : read ? "readable by" : write ? "writable by"
                        : "open to";
                err.println("tokenctl: warning: store " + store + " is " + what + " other users (mode "
                        + PosixFilePermissions.toString(permissions) + "; run 'chmod 600 " + store + "')");
            }
            Path dir = path.toAbsolutePath().getParent();
            Set<PosixFilePermission> dirPermissions = dir == null ? Set.of() : Files.getPosixFilePermissions(dir);
            if (dirPermissions.contains(PosixFilePermission.GROUP_WRITE) || dirPermissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                String shown = dev.tokenctl.core.Text.quoteSafe(dir.toString(), 400);
                // A sticky directory is one shared on purpose, such as /tmp: not one to chmod.
                String fix = sticky(dir) ? ", sticky; move the store to a directory of your own (mode 700) and point"
                        + " --db or TOKENCTL_DB at it)" : "; run 'chmod go-w " + shown + "')";
                err.println("tokenctl: warning: directory " + shown + " of store " + store + " is writable by other users,"
                        + " who can replace the store or plant its -wal and -shm files (mode "
                        + PosixFilePermissions.toString(dirPermissions) + fix);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to check.
        }
    }

    private static boolean sticky(Path dir) {
        try {
            return (((Integer) Files.getAttribute(dir, "unix:mode")) & 01000) != 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;  // no "unix" view here: the advice for a directory that is not sticky
        }
    }

    Session session() {
        return new Session(store(), context.clock(), context.user());
    }

    TokenService tokens() {
        return new TokenService(session(), new TokenFormat(Secure.RANDOM));
    }

    PolicyService policies() {
        return new PolicyService(session());
    }

    IpFilterService ipFilters() {
        return new IpFilterService(session());
    }

    /**
     * ${XDG_CACHE_HOME:-$HOME/.cache}/tokenctl, for files that can be rebuilt at any time; null,
     * for no cache, when neither names an absolute directory. As in the launcher, never a shared
     * directory such as /tmp: another user could put there what this process would run.
     */
    Path cacheDirectory() {
        // The XDG base directory specification says to ignore a relative path.
        String cache = context.env().get("XDG_CACHE_HOME");
        if (cache == null || !cache.startsWith("/")) {
            String home = context.env().get("HOME");
            if (home == null || !home.startsWith("/")) {
                return null;
            }
            cache = home + "/.cache";
        }
        return Path.of(cache, "tokenctl");
    }

    private String home() {
        return context.env().getOrDefault("HOME", System.getProperty("user.home"));
    }

    /** --db, else $TOKENCTL_DB, else the file in the user's data directory. */
    String storeLocation() {
        return location(db);
    }

    private String location(String dbArgument) {
        if (dbArgument != null) {
            Stores.refusePassword(dbArgument, "--db");
            return dbArgument;
        }
        String fromEnv = context.env().get("TOKENCTL_DB");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv;
        }
        String data = context.env().get("XDG_DATA_HOME");
        if (data == null || data.isEmpty()) {
            data = home() + "/.local/share";
        }
        return Path.of(data, "tokenctl", "tokens.db").toString();
    }

    void close() {
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
