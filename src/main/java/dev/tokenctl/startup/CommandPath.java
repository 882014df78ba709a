package dev.tokenctl.startup;

import dev.tokenctl.app.Application;
import dev.tokenctl.cli.Cli;
import dev.tokenctl.cli.Context;
import dev.tokenctl.cli.TokenctlCommand;
import dev.tokenctl.core.TokenFormat;
import dev.tokenctl.http.HttpServerFace;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The command line built for running one set of arguments: only the commands on the path the
 * arguments name (and, where a level names none, all of that level's commands, for its help
 * and suggestions), since building picocli's model of the whole tree costs more than running
 * most commands. The path is found before picocli parses anything, so the global options that
 * take a value are skipped with their value ({@link TokenctlCommand#VALUE_OPTIONS}).
 */
final class CommandPath {
    private CommandPath() {
    }

    /** The command line for {@code args}, with the slow first steps of its command started. */
    static CommandLine commandLine(Context context, PrintWriter out, PrintWriter err, String... args) {
        List<String> path = of(args);
        if (path.contains("completion")) {
            return Cli.commandLine(context, out, err);
        }
        Application application = Cli.application(context, err);
        // Not for serve, whose threads open connections of their own: one made ahead would be held unused.
        if (!path.isEmpty() && !path.get(0).equals("permissions") && !path.get(0).equals("serve")) {
            application.prepare(dbArgument(args), () -> warmUp(path));
        }
        // The HTTP face only for serve, so that no other command loads it.
        CommandLine root = Cli.root(context, application, path.contains("serve") ? new HttpServerFace() : null, err);
        CommandLine level = root;
        Class<?> type = TokenctlCommand.class;
        for (String name : path) {
            type = Cli.subcommands(type).get(name);
            level = Cli.add(level, name, type);
        }
        // The commands of the level reached, for its help and suggestions; not those under them.
        // A version asked of the root needs none.
        if (!(path.isEmpty() && asksVersion(args))) {
            for (Map.Entry<String, Class<?>> child : Cli.subcommands(type).entrySet()) {
                Cli.add(level, child.getKey(), child.getValue());
            }
        }
        return Cli.configure(root, out, err);
    }

    /**
     * After the store's first step, on the same thread: the digest's security provider for the
     * token commands, the secure random generator's first read of the OS's entropy for those
     * that issue tokens, and the system's time zone for those that show local times.
     */
    private static void warmUp(List<String> path) {
        String command = String.join(" ", path);
        if (command.startsWith("token ")) {
            TokenFormat.digest("");
        }
        if (command.equals("token create") || command.equals("token rotate")) {
            Application.random().nextInt();
        }
        if (command.endsWith(" list") || command.endsWith(" show")) {
            ZoneId.systemDefault();
        }
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
        Map<String, Class<?>> children = Cli.subcommands(TokenctlCommand.class);
        for (int i = 0; i < args.length && !children.isEmpty(); i++) {
            String arg = args[i];
            if (TokenctlCommand.VALUE_OPTIONS.contains(arg)) {
                i++;
            } else if (!arg.startsWith("-") && children.containsKey(arg)) {
                path.add(arg);
                children = Cli.subcommands(children.get(arg));
            } else if (!arg.startsWith("-")) {
                break;
            }
        }
        return path;
    }

    /**
     * The last --db on the line, for the store's first step to begin with: usually the store
     * the command opens; when it is another option's value, the step is only wasted.
     */
    static String dbArgument(String... args) {
        String value = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--db") && i + 1 < args.length) {
                value = args[++i];
            } else if (args[i].startsWith("--db=")) {
                value = args[i].substring("--db=".length());
            }
        }
        return value;
    }
}
