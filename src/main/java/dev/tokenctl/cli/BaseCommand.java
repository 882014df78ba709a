package dev.tokenctl.cli;

import dev.tokenctl.app.Application;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every leaf command has: the application, the global options, the surroundings and the
 * output streams. {@link Cli}'s factory gives each command the first three as it makes it.
 */
@picocli.CommandLine.Command
abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    Application app;
    TokenctlCommand options;
    Context context;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Output output() {
        return new Output(options.output, out(), context);
    }

    @Override
    public final Integer call() throws Exception {
        app.selectStore(options.db);
        try {
            ExitCode code = run();
            out().flush();
            return code.code();
        } finally {
            app.close();
        }
    }

    abstract ExitCode run() throws Exception;
}
