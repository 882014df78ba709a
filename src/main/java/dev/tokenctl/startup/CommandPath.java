package dev.tokenctl.startup;

import dev.tokenctl.app.Application;
import dev.tokenctl.cli.Cli;
import dev.tokenctl.cli.Context;
import dev.tokenctl.cli.TokenctlCommand;
import dev.tokenctl.http.HttpServerFace;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The command line built for running one set of arguments: only the commands on the path the
 * arguments name (and, where a level names none, all of that level's commands, for its help
 * and suggestions). Building picocli's model of the whole tree costs more than running most
 * commands. The path is found before picocli parses anything, so the global options that take
 * a value are skipped with their value ({@link TokenctlCommand#VALUE_OPTIONS}).
 */
final class CommandPath {
    /** See {@link #dbArgument}. */
    static final String ELSEWHERE = "";

    private CommandPath() {
    }

    /** The command line for {@code args}, with the slow first steps of its command started. */
    static CommandLine commandLine(Context context, PrintWriter out, PrintWriter err, String... args) {
        List<String> path = of(args);
        if (path.contains("completion")) {
            return Cli.commandLine(context, out, err);
        }
        Application application = Cli.application(context, err);
        WarmUp.start(application, path, dbArgument(args));
        // The HTTP face only for serve, so that no other command loads it.
        CommandLine root = Cli.root(context, application, path.contains("serve") ? new HttpServerFace() : null, err);
        CommandLine level = root;
        Map<String, Cli.Node> children = Cli.TREE;
        for (String name : path) {
            Cli.Node node = children.get(name);
            level = Cli.add(level, name, node.type());
            children = node.children();
        }
        // The commands of the level reached, for its help and suggestions; not those under them.
        // A version asked of the root needs none.
        if (!(path.isEmpty() && asksVersion(args))) {
            for (Map.Entry<String, Cli.Node> child : children.entrySet()) {
                Cli.add(level, child.getKey(), child.getValue().type());
            }
        }
        return Cli.configure(root, out, err);
    }

    /** Whether {@code args} hold --version or -V among the options before a command. */
    static boolean asksVersion(String... args) {
        for (int i = 0; i < args.length && args[i].startsWith("-"); i++) {
            if (args[i].equals("--version") || args[i].equals("-V")) {
                return true;
            } else if (TokenctlCommand.VALUE_OPTIONS.contains(args[i])) {
                i++;
            }
        }
        return false;
    }

    /** The command names at the start of {@code args}, skipping options, e.g. [token, verify]. */
    static List<String> of(String... args) {
        List<String> path = new ArrayList<>();
        Map<String, Cli.Node> children = Cli.TREE;
        for (int i = 0; i < args.length && !children.isEmpty(); i++) {
            String arg = args[i];
            if (TokenctlCommand.VALUE_OPTIONS.contains(arg)) {
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

    /**
     * The --db given before the command (tokenctl --db URL token ...), for the warm-up to
     * connect to: there it cannot be another option's value. Null when there is none, and
     * {@link #ELSEWHERE} when --db may come later, where only picocli can tell.
     */
    static String dbArgument(String... args) {
        String value = null;
        int i = 0;
        for (; i < args.length && args[i].startsWith("-"); i++) {
            if (args[i].equals("--db") && i + 1 < args.length) {
                value = args[++i];
            } else if (args[i].startsWith("--db=")) {
                value = args[i].substring("--db=".length());
            } else if (TokenctlCommand.VALUE_OPTIONS.contains(args[i])) {
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
}
