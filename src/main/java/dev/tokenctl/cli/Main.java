package dev.tokenctl.cli;

import java.io.PrintWriter;

/** The entry point; the only place that calls {@link System#exit}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, false);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(Context.system(), out, err, args);
        out.flush();
        System.exit(code);
    }

    /** Runs one command line and returns its exit code. */
    public static int run(Context context, PrintWriter out, PrintWriter err, String... args) {
        return Cli.commandLine(context, out, err, args).execute(args);
    }
}
