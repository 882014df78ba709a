package dev.tokenctl.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The entry point; the only place that calls {@link System#exit}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = StandardOutput.writer();
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                StandardCharsets.UTF_8), true);
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
        return Cli.commandLine(context, out, err, args).execute(args);
    }
}
