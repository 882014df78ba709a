package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

class HelpTest {
    @TempDir
    Path dir;

    static List<CommandSpec> all(CommandSpec spec) {
        List<CommandSpec> specs = new ArrayList<>(List.of(spec));
        spec.subcommands().values().forEach(sub -> specs.addAll(all(sub.getCommandSpec())));
        return specs;
    }

    private static CommandSpec root() {
        return Cli.commandLine(new CliRunner(Path.of("/nonexistent")).context(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())).getCommandSpec();
    }

    @Test
    void versionAloneIsPrintedAsPicocliPrintsIt() {
        CliRunner cli = new CliRunner(dir);
        CliRunner.Result viaPicocli = cli.run("--verbose", "--version");  // not alone: the whole command line
        assertThat(viaPicocli.code()).isZero();
        assertThat(viaPicocli.out()).startsWith("tokenctl ").endsWith("\n");
        for (String alone : new String[] {"--version", "-V"}) {
            CliRunner.Result r = cli.run(alone);
            assertThat(r.code()).isZero();
            assertThat(r.out()).isEqualTo(viaPicocli.out());
            assertThat(r.err()).isEmpty();
        }
    }

    @Test
    void everyCommandOptionAndParameterHasADescription() {
        List<String> missing = new ArrayList<>();
        for (CommandSpec spec : all(root())) {
            if (spec.usageMessage().description().length == 0) {
                missing.add(spec.qualifiedName());
            }
            for (OptionSpec option : spec.options()) {
                if (option.description().length == 0 || option.description()[0].isBlank()) {
                    missing.add(spec.qualifiedName() + " " + option.longestName());
                }
            }
            for (PositionalParamSpec positional : spec.positionalParameters()) {
                if (positional.description().length == 0) {
                    missing.add(spec.qualifiedName() + " " + positional.paramLabel());
                }
            }
        }
        assertThat(missing).as("commands, options and parameters without a description").isEmpty();
    }

    @Test
    void rootHelpListsTheExitCodes() {
        CliRunner.Result help = new CliRunner(dir).run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Exit codes:", "  0   success", "  1   denied", "  2   invalid usage or input",
                "  3   not found", "  4   conflict", "  5   refused by the security policy", "  6   store error",
                " 70   internal error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"token create", "token verify", "policy set", "ipfilter add"})
    void keyCommandsShowWorkedExamples(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        CliRunner.Result help = new CliRunner(dir).run(args.toArray(String[]::new));
        assertThat(help.code()).isZero();
        String examples = help.out().substring(help.out().indexOf("Examples:"));
        assertThat(examples.lines().filter(l -> l.startsWith("  tokenctl ") || l.contains("| tokenctl ")).count())
                .isBetween(2L, 3L);
    }

    @Test
    void aGroupNamedAloneListsItsCommandsOnStderr() {
        CliRunner.Result r = new CliRunner(dir).run("token");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("tokenctl: error: Missing required subcommand")
                .contains("Usage: tokenctl token", "create", "verify", "revoke");
    }

    @Test
    void helpShowsDefaultsAndAcceptedValues() {
        CliRunner cli = new CliRunner(dir);
        assertThat(cli.run("token", "list", "--help").out().replaceAll("\\s+", " "))
                .contains("text, wide, json, yaml (default: text)", "active, retiring, expired, revoked");
        assertThat(cli.run("token", "create", "--help").out()).contains("One of: ReadHealthCheck,", "ManageOrganizationLinks.");
        assertThat(cli.run("completion", "--help").out()).contains("bash, zsh");
    }

    @Test
    void helpOfEveryCommandWorksWithoutAStore() {
        CliRunner cli = new CliRunner(dir);
        for (CommandSpec spec : all(root())) {
            List<String> args = new ArrayList<>(List.of(spec.qualifiedName(" ").split(" ")));
            args.remove(0);
            args.add("-h");
            CliRunner.Result r = cli.run(args.toArray(String[]::new));
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).startsWith("Usage: " + spec.qualifiedName(" "));
        }
        assertThat(cli.db).doesNotExist();
    }

    @Test
    void manPagesAreWrittenForEveryCommand() {
        for (CommandSpec spec : all(root())) {
            String page = ManPages.page(spec, "tokenctl 9.9");
            assertThat(page).startsWith(".TH " + ManPages.pageName(spec).toUpperCase() + " 1")
                    .contains(".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS");
        }
        assertThat(ManPages.page(root(), "tokenctl 9.9")).contains(".SH EXIT STATUS", ".SH ENVIRONMENT");
        assertThat(ManPages.escape(".dot and -dash\\")).isEqualTo("\\&.dot and \\-dash\\e");
    }

    /** The help of {@code command} as printed at {@code width} columns. */
    private String help(int width, String... command) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Cli.commandLine(new CliRunner(dir).context(), new PrintWriter(out), new PrintWriter(err));
        cl.setUsageHelpWidth(width);
        List<String> args = new ArrayList<>(List.of(command));
        args.add("--help");
        assertThat(cl.execute(args.toArray(String[]::new))).as(err.toString()).isZero();
        return out.toString();
    }

    @ParameterizedTest
    @ValueSource(ints = {60, 80, 120})
    void examplesArePrintedWholeOneLineEachWhateverTheWidth(int width) {
        assertThat(help(width, "token", "create").lines())
                .contains("  T=$(tokenctl token create --name health --permission ReadHealthCheck --expires-in 30d)",
                        "  tokenctl token create --name ci --permission ViewOrganizations,ListSubdomains \\");
        for (CommandSpec spec : all(root())) {
            List<String> args = new ArrayList<>(List.of(spec.qualifiedName(" ").split(" ")));
            args.remove(0);
            List<String> lines = help(width, args.toArray(String[]::new)).lines().toList();
            for (String line : spec.usageMessage().footer()) {
                assertThat(lines).as(spec.qualifiedName()).contains(line.replace("%%", "%"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {60, 80})
    void defaultPathsAndAddressesInDescriptionsAreNeverSplitAndTheListsFitTheWidth(int width) {
        for (String[] command : new String[][] {{}, {"serve"}, {"token", "create"}, {"metrics"}, {"store", "copy"}}) {
            String help = help(width, command);
            assertThat(help).as(String.join(" ", command)).contains("~/.local/share", "${XDG_DATA_HOME:-~/.local/share}",
                    "postgresql://user@host:5432/dbname");
            assertThat(help.substring(0, help.indexOf("Exit codes:")).lines())
                    .allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(width));
        }
        String serve = help(width, "serve");
        assertThat(serve).contains("127.0.0.1:8470;", "[::1]:8470");
        assertThat(help(width, "token", "create")).contains("2027-01-31T18:00:00Z;");
        assertThat(help(width)).contains("allow/deny");
    }

    @Test
    void theMetricsExampleWritesToAFileNamedByTheShellsProcessId() {
        String example = "  tokenctl metrics > \"$dir/tokenctl.prom.$$\" && mv \"$dir/tokenctl.prom.$$\" \"$dir/tokenctl.prom\"";
        assertThat(new CliRunner(dir).run("metrics", "--help").out().lines())
                .contains("  dir=/var/lib/node_exporter/textfile", example);
        CommandSpec metrics = root().subcommands().get("metrics").getCommandSpec();
        assertThat(ManPages.page(metrics, "tokenctl 9.9")).contains(ManPages.escape(example));
    }

    @Test
    void theMetricsExampleRunsInAShell() throws Exception {
        List<String> lines = new CliRunner(dir).run("metrics", "--help").out().lines().toList();
        String example = lines.get(lines.indexOf("Examples:") + 2);
        // tokenctl stands in as a shell function: what is checked is the example's quoting and names.
        Process sh = new ProcessBuilder("sh", "-c", "tokenctl() { echo tokenctl_tokens 1; }; dir='" + dir + "'; " + example)
                .redirectErrorStream(true).start();
        assertThat(new String(sh.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
        assertThat(sh.waitFor()).isZero();
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("tokenctl.prom");
        }
        assertThat(dir.resolve("tokenctl.prom")).hasContent("tokenctl_tokens 1");
    }

    @Test
    void serveHelpAndManPageListTheEndpointsTheStatusesAndTheHeaders() {
        String[] said = {"GET /v1/authz", "POST /v1/introspect", "GET /healthz", "GET /metrics",
            "  200  valid", "  401  no token; or malformed, bad-checksum, unknown, revoked, expired,", "tokens-disabled",
            "  403  ip-denied, ip-required, missing-permission, or a requirement naming",
            "something not a permission", "  503  store unavailable",
            "X-Token-Id", "X-Token-Name         its name (percent-encoded UTF-8 when not plain ASCII)",
            "X-Token-Permissions", "X-Token-Expires-At", "for a retiring token", "the end of its grace",
            "tokenctl serve --listen '[::1]:8470'"};
        String help = new CliRunner(dir).run("serve", "--help").out();
        assertThat(help).contains(said).contains("Endpoints:", "Status of a token check:", "Headers of a 200 answer:",
                "Examples:");
        String page = ManPages.page(root().subcommands().get("serve").getCommandSpec(), "tokenctl 9.9");
        assertThat(page.replace("\\-", "-")).contains(said);
        assertThat(page).contains(".SH ENDPOINTS\n.nf\n", ".fi\n.SH STATUS OF A TOKEN CHECK\n.nf\n  200  valid\n",
                ".SH HEADERS OF A 200 ANSWER\n", ".SH EXAMPLES\n");
    }

    @Test
    void manPagesPrintExamplesAsHelpPrintsThem() {
        CommandSpec verify = root().subcommands().get("token").getSubcommands().get("verify").getCommandSpec();
        assertThat(ManPages.page(verify, "tokenctl 9.9")).contains(".SH EXAMPLES\n.nf\n  printf '%s\\en' \"$T\" | tokenctl token verify")
                .doesNotContain("%%");
    }

    @Test
    void tablesFitTheTerminalWithoutCuttingIdsOrNamesAndHaveNoColourWhenNotATerminal() {
        CliRunner cli = new CliRunner(dir);
        String name = "nightly-pipeline-gc";
        String id = cli.run("token", "create", "--name", name, "--permission",
                "ReadHealthCheck,ViewOrganizations,ManageOrganizations,ManageCluster", "--no-expiry").line();
        id = id.substring(0, id.indexOf('~'));
        String wide = cli.run("token", "list").out();
        assertThat(wide).doesNotContain("\u001b[", "…").contains("ReadHealthCheck,ManageOrganizations,ViewOrganizations,ManageCluster"
                .substring(0, 15), "LAST USED");
        cli.env.put("COLUMNS", "80");
        assertThat(cli.run("token", "list").out()).as("a pipe is never cut, whatever COLUMNS says").isEqualTo(wide);
        cli.terminal = true;
        cli.env.put("NO_COLOR", "1");
        List<String> narrow = cli.run("token", "list").out().lines().toList();
        assertThat(narrow).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
        assertThat(narrow.get(0)).startsWith("ID").contains("NAME", "PERMISSIONS", "STATUS").doesNotContain("LAST USED");
        assertThat(narrow.get(1)).startsWith(id + "  " + name + "  ").contains("ReadHealthCheck +3", "active")
                .doesNotContain("…");
        // Colour on a terminal: the status is painted, the header and the other cells are not.
        cli.env.remove("NO_COLOR");
        List<String> coloured = cli.run("token", "list").out().lines().toList();
        assertThat(coloured.get(0)).doesNotContain("\u001b");
        assertThat(coloured.get(1)).startsWith(id + "  " + name + "  ").contains("  \u001b[32mactive\u001b[0m");
        // -o wide shows every column and every permission, whatever the width.
        List<String> all = cli.run("-o", "wide", "token", "list").out().lines().toList();
        assertThat(all.get(0)).contains("LAST USED");
        assertThat(all.get(1)).contains("ManageCluster", "ViewOrganizations");
        // A name wider than the terminal is still printed whole: it is what the next command needs.
        String longName = "a-rather-long-name-for-a-token-used-by-the-nightly-pipeline-of-the-platform-team";
        cli.create(longName);
        assertThat(cli.run("token", "list").out()).contains(longName);
    }
}
