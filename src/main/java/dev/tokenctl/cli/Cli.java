package dev.tokenctl.cli;

import dev.tokenctl.core.Text;
import dev.tokenctl.core.TokenctlException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Builds the command line: the one place that installs the exit-code mapping and the handlers
 * for usage errors and failures. Errors are one line on stderr, {@code tokenctl: error: ...};
 * a stack trace only with {@code --verbose}.
 */
public final class Cli {
    private Cli() {
    }

    /** A command and the commands under it. */
    private record Node(Class<?> type, Map<String, Node> children) {
        static Node leaf(Class<?> type) {
            return new Node(type, Map.of());
        }
    }

    /** The command tree, in the order help lists it. */
    private static final Map<String, Node> TREE = ordered(
            "token", new Node(TokenCommand.class, ordered(
                    "create", Node.leaf(TokenCreateCommand.class),
                    "list", Node.leaf(TokenListCommand.class),
                    "show", Node.leaf(TokenShowCommand.class),
                    "verify", Node.leaf(TokenVerifyCommand.class),
                    "rotate", Node.leaf(TokenRotateCommand.class),
                    "update", Node.leaf(TokenUpdateCommand.class),
                    "revoke", Node.leaf(TokenRevokeCommand.class))),
            "policy", new Node(PolicyCommand.class, ordered(
                    "show", Node.leaf(PolicyCommand.ShowCommand.class),
                    "set", Node.leaf(PolicySetCommand.class))),
            "ipfilter", new Node(IpFilterCommand.class, ordered(
                    "add", Node.leaf(IpFilterCommand.AddCommand.class),
                    "list", Node.leaf(IpFilterCommand.ListCommand.class),
                    "show", Node.leaf(IpFilterCommand.ShowCommand.class),
                    "update", Node.leaf(IpFilterCommand.UpdateCommand.class),
                    "remove", Node.leaf(IpFilterCommand.RemoveCommand.class),
                    "test", Node.leaf(IpFilterCommand.TestCommand.class))),
            "permissions", new Node(PermissionsCommand.class, ordered("list", Node.leaf(PermissionsCommand.ListCommand.class))),
            "audit", new Node(AuditCommand.class, ordered("list", Node.leaf(AuditCommand.ListCommand.class))),
            "store", new Node(StoreCommand.class, ordered(
                    "info", Node.leaf(StoreCommand.InfoCommand.class),
                    "copy", Node.leaf(StoreCommand.CopyCommand.class))),
            "completion", Node.leaf(CompletionCommand.class));

    /** Global options that take a value, whose value is never a command name. */
    private static final java.util.Set<String> VALUE_OPTIONS = java.util.Set.of("--db", "-o", "--output");

    private static Map<String, Node> ordered(Object... pairs) {
        Map<String, Node> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Node) pairs[i + 1]);
        }
        return map;
    }

    /** The whole command tree, for help, completion scripts and man pages. */
    public static CommandLine commandLine(Context context, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = root(new TokenctlCommand(context), err);
        addAll(commandLine, TREE);
        return configure(commandLine, out, err);
    }

    /**
     * The tree for running {@code args}: only the commands on the path the arguments name (and,
     * where a level names none, all of that level's commands, for its help and suggestions).
     * Building all of picocli's model of the tree costs more than running most commands.
     */
    public static CommandLine commandLine(Context context, PrintWriter out, PrintWriter err, String... args) {
        List<String> path = path(args);
        if (path.contains("completion")) {
            return commandLine(context, out, err);
        }
        TokenctlCommand command = new TokenctlCommand(context);
        command.warmUp(path, dbArgument(args));
        CommandLine root = root(command, err);
        CommandLine level = root;
        Map<String, Node> children = TREE;
        for (String name : path) {
            Node node = children.get(name);
            level.addSubcommand(name, node.type());
            level = level.getSubcommands().get(name);
            children = node.children();
        }
        addAll(level, children);
        return configure(root, out, err);
    }

    /**
     * The --db given before the command (tokenctl --db URL token ...), for the warm-up to
     * connect to: there it cannot be another option's value. Null when there is none, and
     * {@link #ELSEWHERE} when --db may come later, where only picocli can tell.
     */
    private static String dbArgument(String... args) {
        String value = null;
        int i = 0;
        for (; i < args.length && args[i].startsWith("-"); i++) {
            if (args[i].equals("--db") && i + 1 < args.length) {
                value = args[++i];
            } else if (args[i].startsWith("--db=")) {
                value = args[i].substring("--db=".length());
            } else if (VALUE_OPTIONS.contains(args[i])) {
                i++;
            }
        }
        for (; i < args.length; i++) {
            if (args[i].equals("--db") || args[i].startsWith("--db=")) {
                return ELSEWHERE;
            }
        }
        return value;
    }

    /** See {@link #dbArgument}. */
    static final String ELSEWHERE = "";

    /** The command names at the start of {@code args}, skipping options, e.g. [token, verify]. */
    private static List<String> path(String... args) {
        List<String> path = new ArrayList<>();
        Map<String, Node> children = TREE;
        for (int i = 0; i < args.length && !children.isEmpty(); i++) {
            String arg = args[i];
            if (VALUE_OPTIONS.contains(arg)) {
                i++;
            } else if (!arg.startsWith("-") && children.containsKey(arg)) {
                path.add(arg);
                children = children.get(arg).children();
            } else if (!arg.startsWith("-")) {
                break;
            }
        }
        return path;
    }

    private static void addAll(CommandLine parent, Map<String, Node> children) {
        children.forEach((name, node) -> {
            if (!parent.getSubcommands().containsKey(name)) {
                parent.addSubcommand(name, node.type());
                addAll(parent.getSubcommands().get(name), node.children());
            }
        });
    }

    private static CommandLine root(TokenctlCommand root, PrintWriter err) {
        root.err = err;
        CommandLine commandLine = new CommandLine(root);
        Map<String, String> codes = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            codes.put(String.format("%3d", code.code()), code.meaning());
        }
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        return commandLine;
    }

    /** Streams and handlers; set once the tree is built, since picocli copies them to subcommands. */
    private static CommandLine configure(CommandLine commandLine, PrintWriter out, PrintWriter err) {
        TokenctlCommand root = (TokenctlCommand) commandLine.getCommand();
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // picocli would read an argument starting with '@' as a file of more arguments, even after
        // '--': a name such as '@ops' would become options. '@' is never special here.
        commandLine.setExpandAtFiles(false);
        commandLine.setParameterExceptionHandler(Cli::usageError);
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> failure(root, e, cl));
        // Help and version text are written outside the handlers: their failed writes end here.
        commandLine.setExecutionStrategy(parseResult -> {
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (StandardOutput.Failure e) {
                return failure(root, e, commandLine);
            }
        });
        return commandLine;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        // picocli quotes the offending argument: escape control characters and cut a huge one short.
        err.println("tokenctl: error: " + Text.quoteSafe(String.valueOf(e.getMessage()), 400));
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        if (!cl.getSubcommands().isEmpty() && e.getMessage().startsWith("Missing required subcommand")) {
            // A group named alone, such as 'tokenctl token': its commands are what the user wants.
            cl.usage(err);
            err.flush();
            return ExitCode.USAGE.code();
        }
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCode.USAGE.code();
    }

    private static int failure(TokenctlCommand root, Exception e, CommandLine cl) {
        PrintWriter err = cl.getErr();
        if (!(e instanceof StandardOutput.Failure)) {
            cl.getOut().flush();
        }
        ExitCode code;
        if (e instanceof StandardOutput.Failure output) {
            if (output.readerGone()) {
                return ExitCode.OK.code();
            }
            err.println("tokenctl: error: cannot write to standard output: " + oneLine(output.getMessage())
                    + " (check the disk or file that output goes to)");
            code = ExitCode.OUTPUT;
        } else if (e instanceof TokenctlException failure) {
            err.println("tokenctl: error: " + oneLine(failure.getMessage()));
            code = ExitCode.of(failure.kind());
        } else if (e instanceof UsageException usage) {
            err.println("tokenctl: error: " + oneLine(usage.getMessage()));
            code = ExitCode.USAGE;
        } else {
            err.println("tokenctl: error: internal error: " + e.getClass().getSimpleName()
                    + (root.verbose ? "" : " (rerun with --verbose and report it)"));
            code = ExitCode.INTERNAL;
        }
        if (root.verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return code.code();
    }

    /**
     * A message as one line, whatever text reached it: a control character that slipped into it
     * unescaped (from a path, a driver's message) is escaped, and a token string masked.
     */
    private static String oneLine(String message) {
        return Text.quoteSafe(String.valueOf(message), 4000);
    }

    /** A bad input found while running a command, such as an empty token on stdin: exit 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
