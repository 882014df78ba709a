package dev.tokenctl.cli;

import dev.tokenctl.app.Application;
import dev.tokenctl.app.Server;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.TokenctlException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine;

/**
 * Builds the command line: the one place that installs the exit-code mapping and the handlers
 * for usage errors and failures. Errors are one line on stderr, {@code tokenctl: error: ...};
 * a stack trace only with {@code --verbose}.
 */
public final class Cli {
    private Cli() {
    }

    /**
     * picocli's model of each command, and the commands under each: the code the build generates
     * from the commands' annotations (reading annotations at every start costs more than most
     * commands take to run), or, when the build made none, picocli reading the annotations.
     */
    interface Model {
        /** The model of {@code command}: a CommandSpec bound to its fields, or the command itself for picocli to read. */
        Object of(Object command);

        /** The commands under {@code type}, by name, in the order help lists them. */
        Map<String, Class<?>> subcommands(Class<?> type);
    }

    /** The annotations themselves, read by picocli: the same model, built slower. */
    static final class Annotations implements Model {
        @Override
        public Object of(Object command) {
            return command;
        }

        @Override
        public Map<String, Class<?>> subcommands(Class<?> type) {
            Map<String, Class<?>> subcommands = new LinkedHashMap<>();
            for (Class<?> sub : type.getAnnotation(CommandLine.Command.class).subcommands()) {
                subcommands.put(sub.getAnnotation(CommandLine.Command.class).name(), sub);
            }
            return subcommands;
        }
    }

    /** The generated model, when the build made it; else the annotations. */
    static final Model MODEL = model();

    private static Model model() {
        try {
            return (Model) Class.forName("dev.tokenctl.cli.GeneratedModel").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return new Annotations();
        }
    }

    /** The commands under {@code type}, by name, in the order help lists them. */
    public static Map<String, Class<?>> subcommands(Class<?> type) {
        return MODEL.subcommands(type);
    }

    /** Names and commands, in the order given: name, class, name, class... */
    static Map<String, Class<?>> ordered(Object... pairs) {
        Map<String, Class<?>> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Class<?>) pairs[i + 1]);
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
        addAll(commandLine);
        return configure(commandLine, out, err);
    }

    /** The application of a run, whose warnings go to {@code err}. */
    public static Application application(Context context, PrintWriter err) {
        return new Application(context.environment(), new Warnings(err));
    }

    /** Warnings, one line each on stderr. */
    private record Warnings(PrintWriter err) implements Consumer<String> {
        @Override
        public void accept(String warning) {
            err.println("tokenctl: warning: " + warning);
        }
    }

    /** Adds every command under {@code parent}'s, and those under them, where it lacks them. */
    static void addAll(CommandLine parent) {
        for (Map.Entry<String, Class<?>> sub : subcommands(parent.getCommand().getClass()).entrySet()) {
            addAll(add(parent, sub.getKey(), sub.getValue()));
        }
    }

    /**
     * Adds the command {@code type} as {@code name} under {@code parent}, made by the parent's
     * factory, with the parent's kind of model, unless it is there (picocli reading annotations
     * adds every command under a command).
     */
    public static CommandLine add(CommandLine parent, String name, Class<?> type) {
        Factory factory = (Factory) parent.getFactory();
        if (!parent.getSubcommands().containsKey(name)) {
            parent.addSubcommand(name, new CommandLine(factory.model.of(factory.create(type)), factory));
        }
        return parent.getSubcommands().get(name);
    }

    /**
     * The root command alone, for a caller that adds the subcommands: each command it makes is
     * given {@code application}, the global options and {@code context}; serve is given {@code server}.
     */
    public static CommandLine root(Context context, Application application, Server server, PrintWriter err) {
        return root(context, application, server, MODEL);
    }

    /** The root command alone, with each command's model made by {@code model}. */
    static CommandLine root(Context context, Application application, Server server, Model model) {
        // Two of picocli's first steps that give tokenctl nothing: a search of every jar on the
        // class path for Groovy's Closure class, and converters found by reflection for java.time,
        // java.sql and java.nio.file.Path, types whose options here all name their own converter.
        System.setProperty("picocli.disable.closures", "true");
        System.setProperty("picocli.converters.excludes", ".*");
        TokenctlCommand options = new TokenctlCommand();
        Factory factory = new Factory(model, context, application, server, options);
        return new CommandLine(model.of(options), factory);
    }

    /** Sets the exit codes' list in the help of {@code commandLine} and every command under it. */
    private static void exitCodes(CommandLine commandLine, Map<String, String> codes) {
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            exitCodes(sub, codes);
        }
    }

    /**
     * Makes each command, giving it what the run provides, and each argument group's object;
     * knows which model the commands get.
     */
    private record Factory(Model model, Context context, Application application, Server server,
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
        Map<String, String> codes = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            // Right-aligned in three columns; String.format would load its formatter on every start.
            String number = Integer.toString(code.code());
            codes.put("   ".substring(number.length()) + number, code.meaning());
        }
        exitCodes(commandLine, codes);
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
