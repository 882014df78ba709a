package dev.tokenctl.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every leaf command has: the root's options and services, and the output streams. */
@picocli.CommandLine.Command
abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    TokenctlCommand root() {
        return (TokenctlCommand) spec.root().userObject();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Output output() {
        return new Output(root().output, out(), root().context);
    }

    @Override
    public final Integer call() throws Exception {
        try {
            ExitCode code = run();
            out().flush();
            return code.code();
        } finally {
            root().close();
        }
    }

    abstract ExitCode run() throws Exception;
}
