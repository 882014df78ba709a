package dev.tokenctl.startup;

import dev.tokenctl.cli.Cli;
import dev.tokenctl.cli.Context;
import dev.tokenctl.cli.ExitCode;
import dev.tokenctl.cli.StandardOutput;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The entry point; the only place that calls {@link System#exit}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        args = Utf8Arguments.of(args);
        // UTF-8 whatever the locale, like the arguments, the store and stdin: System.out would
        // print '?' for every non-ASCII character in the C locale. Standard output reports a
        // failed write, which PrintWriter and System.out would swallow.
        PrintWriter out = StandardOutput.writer();
        PrintWriter err = new PrintWriter(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(Context.system(), out, err, args);
        try {
            out.flush();
        } catch (StandardOutput.Failure e) {
            code = e.readerGone() ? code : ExitCode.OUTPUT.code();
        }
        System.exit(code);
    }

    /** Runs one command line and returns its exit code. */
    public static int run(Context context, PrintWriter out, PrintWriter err, String... args) {
        if (args.length == 1 && CommandPath.asksVersion(args)) {
            return Cli.version(out, err);
        }
        return CommandPath.commandLine(context, out, err, args).execute(args);
    }
}
