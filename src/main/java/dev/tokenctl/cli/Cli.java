package dev.tokenctl.cli;

import dev.tokenctl.core.Text;
import dev.tokenctl.core.TokenctlException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
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

    public static CommandLine commandLine(Context context, PrintWriter out, PrintWriter err) {
        TokenctlCommand root = new TokenctlCommand(context);
        root.err = err;
        CommandLine commandLine = new CommandLine(root);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(Cli::usageError);
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> failure(root, e, cl));
        Map<String, String> codes = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            codes.put(String.format("%3d", code.code()), code.meaning());
        }
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        return commandLine;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        // picocli quotes the offending argument: escape control characters and cut a huge one short.
        err.println("tokenctl: error: " + Text.quoteSafe(String.valueOf(e.getMessage()), 400));
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCode.USAGE.code();
    }

    private static int failure(TokenctlCommand root, Exception e, CommandLine cl) {
        PrintWriter err = cl.getErr();
        cl.getOut().flush();
        ExitCode code;
        if (e instanceof TokenctlException failure) {
            err.println("tokenctl: error: " + failure.getMessage());
            code = ExitCode.of(failure.kind());
        } else if (e instanceof UsageException usage) {
            err.println("tokenctl: error: " + usage.getMessage());
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

    /** A bad input found while running a command, such as an empty token on stdin: exit 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
