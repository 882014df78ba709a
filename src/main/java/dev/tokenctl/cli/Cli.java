package dev.tokenctl.cli;

import dev.tokenctl.app.Application;
import dev.tokenctl.app.Server;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.TokenctlException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
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
    public record Node(Class<?> type, Map<String, Node> children) {
        static Node leaf(Class<?> type) {
            return new Node(type, Map.of());
        }
    }

    /** The command tree, in the order help lists it. */
    public static final Map<String, Node> TREE = ordered(
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
            "serve", Node.leaf(ServeCommand.class),
            "metrics", Node.leaf(MetricsCommand.class),
            "completion", Node.leaf(CompletionCommand.class));

    private static Map<String, Node> ordered(Object... pairs) {
        Map<String, Node> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Node) pairs[i + 1]);
        }
        return map;
    }

    /** The whole command tree, for help, completion scripts and man pages. */
    public static CommandLine commandLine(Context context, PrintWriter out, PrintWriter err) {
        return commandLine(context, null, out, err);
    }

    /** The whole command tree, with {@code server} for the serve command. */
    public static CommandLine commandLine(Context context, Server server, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = root(context, application(context, err), server, err);
        addAll(commandLine, TREE);
        return configure(commandLine, out, err);
    }

    /** The application of a run, whose warnings go to {@code err}. */
    public static Application application(Context context, PrintWriter err) {
        return new Application(context.environment(), new Warnings(err));
    }

    /*
     * The objects a run makes before its store is open are classes of their own, not lambdas: the
     * first lambda of a JVM sets up the method-handle machinery (about 5 ms) and each one after it
     * costs its own link; made on the main thread, they delayed every command. The store's driver
     * sets that machinery up anyway, on the warm-up thread.
     */

    /** Warnings, one line each on stderr. */
    private record Warnings(PrintWriter err) implements Consumer<String> {
        @Override
        public void accept(String warning) {
            err.println("tokenctl: warning: " + warning);
        }
    }

    /** Adds {@code children}, and the commands under them, to {@code parent} where it lacks them. */
    public static void addAll(CommandLine parent, Map<String, Node> children) {
        children.forEach((name, node) -> {
            if (!parent.getSubcommands().containsKey(name)) {
                addAll(add(parent, name, node.type()), node.children());
            }
        });
    }

    /**
     * Adds the command {@code type} as {@code name} under {@code parent}, made by the parent's
     * factory, with the parent's kind of model.
     */
    public static CommandLine add(CommandLine parent, String name, Class<?> type) {
        Factory factory = (Factory) parent.getFactory();
        parent.addSubcommand(name, new CommandLine(factory.model.apply(factory.create(type)), factory));
        return parent.getSubcommands().get(name);
    }

    /**
     * The root command alone, for a caller that adds the subcommands: each command it makes is
     * given {@code application}, the global options and {@code context}; serve is given {@code server}.
     */
    public static CommandLine root(Context context, Application application, Server server, PrintWriter err) {
        return root(context, application, server, new Generated());
    }

    /** The generated model of a command. */
    private static final class Generated implements UnaryOperator<Object> {
        @Override
        public Object apply(Object command) {
            return Model.of(command);
        }
    }

    /**
     * The root command alone, with each command's model made by {@code model} from the command:
     * the generated {@link Model}, or, for the test that compares the two, the command itself,
     * whose annotations picocli then reads.
     */
    static CommandLine root(Context context, Application application, Server server, UnaryOperator<Object> model) {
        // Two of picocli's first steps that give tokenctl nothing: a search of every jar on the
        // class path for Groovy's Closure class (about 18 ms), and converters found by reflection
        // for java.time, java.sql and java.nio.file.Path, types whose options here all name their
        // own converter (about 7 ms, and again for each command built).
        System.setProperty("picocli.disable.closures", "true");
        System.setProperty("picocli.converters.excludes", ".*");
        TokenctlCommand options = new TokenctlCommand();
        Factory factory = new Factory(model, context, application, server, options);
        CommandLine commandLine = new CommandLine(model.apply(options), factory);
        Map<String, String> codes = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            // Right-aligned in three columns; String.format would load its formatter on every start.
            String number = Integer.toString(code.code());
            codes.put("   ".substring(number.length()) + number, code.meaning());
        }
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        return commandLine;
    }

    /**
     * Makes each command, giving it what the run provides, and each argument group's object;
     * knows which model the commands get.
     */
    private record Factory(UnaryOperator<Object> model, Context context, Application application, Server server,
                           TokenctlCommand options) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) {
            K made;
            try {
                made = CommandLine.defaultFactory().create(type);
            } catch (Exception e) {
                throw new IllegalStateException("cannot make " + type.getName(), e);
            }
            if (made instanceof BaseCommand command) {
                command.app = application;
                command.options = options;
                command.context = context;
            }
            if (made instanceof ServeCommand serve) {
                serve.server = server;
            }
            return made;
        }
    }

    /**
     * Streams, handlers and the help's layout; set once the tree is built, since picocli copies
     * them to subcommands.
     */
    public static CommandLine configure(CommandLine commandLine, PrintWriter out, PrintWriter err) {
        TokenctlCommand root = (TokenctlCommand) commandLine.getCommand();
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // picocli would read an argument starting with '@' as a file of more arguments, even after
        // '--': a name such as '@ops' would become options. '@' is never special here.
        commandLine.setExpandAtFiles(false);
        Handlers handlers = new Handlers(root, out, err);
        commandLine.setParameterExceptionHandler(handlers);
        commandLine.setExecutionExceptionHandler(handlers);
        commandLine.setExecutionStrategy(handlers);
        HelpLayout.install(commandLine);
        return commandLine;
    }

    /** What a run does with its parse result, its usage errors and its failures. */
    private record Handlers(TokenctlCommand root, PrintWriter out, PrintWriter err) implements
            CommandLine.IExecutionStrategy, CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {
        /** Help and version text are written outside the handlers: their failed writes end here. */
        @Override
        public int execute(CommandLine.ParseResult parseResult) {
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (StandardOutput.Failure e) {
                return failure(root.verbose, e, out, err);
            }
        }

        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] args) {
            return usageError(e);
        }

        @Override
        public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
            return failure(root.verbose, e, cl.getOut(), cl.getErr());
        }
    }

    private static int usageError(CommandLine.ParameterException e) {
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

    /**
     * {@code tokenctl --version} (or -V) and nothing else, as picocli prints it, without building
     * the command line: the root command's model alone takes longer than the rest of the run.
     */
    public static int version(PrintWriter out, PrintWriter err) {
        try {
            for (String line : new VersionProvider().getVersion()) {
                out.println(line);
            }
            out.flush();
            return ExitCode.OK.code();
        } catch (StandardOutput.Failure e) {
            return failure(false, e, out, err);
        }
    }

    private static int failure(boolean verbose, Exception e, PrintWriter out, PrintWriter err) {
        if (!(e instanceof StandardOutput.Failure)) {
            out.flush();
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
                    + (verbose ? "" : " (rerun with --verbose and report it)"));
            code = ExitCode.INTERNAL;
        }
        if (verbose) {
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
