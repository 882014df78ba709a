package dev.tokenctl.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The root command: the global options, nothing else. What they select (the store, its
 * services) is the {@link dev.tokenctl.app.Application}'s.
 */
@Command(name = "tokenctl", scope = ScopeType.INHERIT, subcommands = {TokenCommand.class, PolicyCommand.class,
        IpFilterCommand.class, PermissionsCommand.class, AuditCommand.class, StoreCommand.class, ServeCommand.class,
        MetricsCommand.class, CompletionCommand.class},
        versionProvider = VersionProvider.class, sortOptions = false,
        description = "Administer system API tokens on a local or shared store: create, list, verify, rotate and revoke them.")
public final class TokenctlCommand {
    static final String DB = "--db";
    static final String OUTPUT = "--output";
    static final String OUTPUT_SHORT = "-o";

    /**
     * The global options that take a value, whose value is never a command name: what the
     * start-up reads to find the command path before picocli parses anything. A test checks
     * it against the options below.
     */
    public static final List<String> VALUE_OPTIONS = List.of(DB, OUTPUT_SHORT, OUTPUT);

    @Option(names = DB, paramLabel = "PATH|URL", scope = ScopeType.INHERIT,
            description = "The store: a file, or postgresql://user@host:5432/dbname for a shared one (default: $TOKENCTL_DB,"
                    + " else $${XDG_DATA_HOME:-~/.local/share}/tokenctl/tokens.db).")
    String db;

    @Option(names = {OUTPUT_SHORT, OUTPUT}, paramLabel = "FORMAT", scope = ScopeType.INHERIT, defaultValue = "text",
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
}
