package dev.tokenctl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes a roff man page for every command, from the same model as the help and completions:
 * {@code tokenctl.1}, {@code tokenctl-token.1}, {@code tokenctl-token-create.1} and so on. Run at
 * package time; the pages go into the distribution's {@code man/man1}.
 */
public final class ManPages {
    private ManPages() {
    }

    /** Arguments: the output directory and the version line, e.g. {@code tokenctl 0.1.0}. */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        CommandLine root = Cli.commandLine(Context.system(), new java.io.PrintWriter(System.out),
                new java.io.PrintWriter(System.err));
        write(root.getCommandSpec(), dir, args[1]);
    }

    private static void write(CommandSpec spec, Path dir, String version) throws IOException {
        Files.writeString(dir.resolve(pageName(spec) + ".1"), page(spec, version));
        for (Map.Entry<String, CommandLine> sub : spec.subcommands().entrySet()) {
            if (sub.getValue().getCommandSpec().parent() == spec && sub.getKey().equals(sub.getValue().getCommandName())) {
                write(sub.getValue().getCommandSpec(), dir, version);
            }
        }
    }

    static String pageName(CommandSpec spec) {
        return spec.qualifiedName("-");
    }

    static String page(CommandSpec spec, String version) {
        StringBuilder s = new StringBuilder();
        s.append(".TH ").append(pageName(spec).toUpperCase()).append(" 1 \"\" \"").append(escape(version))
                .append("\" \"tokenctl manual\"\n");
        s.append(".SH NAME\n").append(escape(pageName(spec))).append(" \\- ")
                .append(escape(String.join(" ", spec.usageMessage().description()))).append('\n');
        CommandLine.Help help = new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        s.append(".SH SYNOPSIS\n.nf\n").append(escape(help.synopsis(0).strip())).append("\n.fi\n");
        if (!spec.subcommands().isEmpty()) {
            s.append(".SH COMMANDS\n");
            for (Map.Entry<String, CommandLine> sub : spec.subcommands().entrySet()) {
                CommandSpec child = sub.getValue().getCommandSpec();
                s.append(".TP\n\\fB").append(escape(sub.getKey())).append("\\fR\n")
                        .append(escape(String.join(" ", child.usageMessage().description())))
                        .append(" See \\fB").append(escape(pageName(child))).append("\\fR(1).\n");
            }
        }
        List<PositionalParamSpec> positionals = spec.positionalParameters();
        if (!positionals.isEmpty()) {
            s.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : positionals) {
                s.append(".TP\n\\fI").append(escape(p.paramLabel())).append("\\fR\n")
                        .append(escape(String.join(" ", p.description()))).append('\n');
            }
        }
        s.append(".SH OPTIONS\n");
        for (OptionSpec option : spec.options()) {
            s.append(".TP\n\\fB").append(escape(String.join(", ", option.names()))).append("\\fR");
            if (option.arity().max() > 0) {
                s.append(" \\fI").append(escape(option.paramLabel())).append("\\fR");
            }
            s.append('\n').append(escape(String.join(" ", option.description()))).append('\n');
        }
        List<String> footer = HelpLayout.footerLines(spec.usageMessage());
        if (!footer.isEmpty()) {
            // A heading within the footer, such as Examples:, starts a section of its own.
            s.append(".SH ").append(title(spec.usageMessage().footerHeading())).append("\n.nf\n");
            int blank = 0;
            for (String line : footer) {
                if (line.isBlank()) {
                    blank++;
                    continue;
                }
                if (HelpLayout.heading(line)) {
                    s.append(".fi\n.SH ").append(title(line)).append("\n.nf\n");
                } else {
                    s.append("\n".repeat(blank)).append(escape(line)).append('\n');
                }
                blank = 0;
            }
            s.append(".fi\n");
        }
        if (spec.parent() == null) {
            s.append(".SH EXIT STATUS\n");
            for (ExitCode code : ExitCode.values()) {
                s.append(".TP\n\\fB").append(code.code()).append("\\fR\n").append(escape(code.meaning())).append('\n');
            }
            s.append(".SH ENVIRONMENT\n.TP\n\\fBTOKENCTL_DB\\fR\nThe store, unless \\-\\-db is given: a file path,"
                            + " sqlite:PATH, or postgresql://user@host:5432/dbname (a password in it is accepted here only).\n")
                    .append(".TP\n\\fBTOKENCTL_LOCK_TIMEOUT\\fR\nHow long to wait for a store locked by another process (default 10s).\n")
                    .append(".TP\n\\fBPGPASSWORD\\fR, \\fBPGPASSFILE\\fR\nThe PostgreSQL password, or the file of passwords"
                            + " (default ~/.pgpass, mode 0600), when the URL has none.\n")
                    .append(".TP\n\\fBPGUSER\\fR, \\fBPGHOST\\fR, \\fBPGPORT\\fR, \\fBPGDATABASE\\fR\nWhat a PostgreSQL URL"
                            + " leaves out.\n")
                    .append(".TP\n\\fBNO_COLOR\\fR\nWhen set, output has no colour.\n")
                    .append(".SH FILES\n.TP\n\\fI${XDG_DATA_HOME:\\-~/.local/share}/tokenctl/tokens.db\\fR\nThe default store.\n");
        }
        List<String> related = new ArrayList<>();
        if (spec.parent() != null) {
            related.add("\\fB" + escape(pageName(spec.parent())) + "\\fR(1)");
        }
        if (!related.isEmpty()) {
            s.append(".SH SEE ALSO\n").append(String.join(", ", related)).append('\n');
        }
        return s.toString();
    }

    private static String title(String heading) {
        return escape(heading.replace("%n", "").replace(":", "").strip().toUpperCase(java.util.Locale.ROOT));
    }

    /** Escapes text for roff: backslashes, hyphens, and a leading dot or quote. */
    static String escape(String text) {
        String escaped = text.replace("\\", "\\e").replace("-", "\\-");
        StringBuilder out = new StringBuilder();
        for (String line : escaped.split("\n", -1)) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(line.startsWith(".") || line.startsWith("'") ? "\\&" + line : line);
        }
        return out.toString();
    }
}
