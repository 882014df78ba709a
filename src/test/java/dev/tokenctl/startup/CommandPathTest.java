package dev.tokenctl.startup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenctl.cli.TokenctlCommand;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The command path is found before picocli parses anything, from the root command's own options. */
class CommandPathTest {
    @Test
    void theGlobalOptionsThatTakeAValueAreTheRootCommandsOwn() {
        List<String> taking = new CommandLine(new TokenctlCommand()).getCommandSpec().options().stream()
                .filter(o -> o.arity().max() > 0).flatMap(o -> List.of(o.names()).stream()).sorted().toList();
        assertThat(TokenctlCommand.VALUE_OPTIONS).as("a global option that takes a value, missing from VALUE_OPTIONS,"
                + " would be taken for a command name").containsExactlyInAnyOrderElementsOf(taking);
        assertThat(new CommandLine(new TokenctlCommand()).getCommandSpec().options()).extracting(OptionSpec::longestName)
                .contains("--db", "--output", "--verbose");
    }

    @Test
    void thePathSkipsOptionsAndTheirValues() {
        assertThat(CommandPath.of("--db", "token", "-o", "json", "token", "verify", "x")).containsExactly("token", "verify");
        assertThat(CommandPath.of("--output", "yaml", "policy", "show")).containsExactly("policy", "show");
        assertThat(CommandPath.of("--verbose", "ipfilter")).containsExactly("ipfilter");
        assertThat(CommandPath.of("nope", "token")).isEmpty();
        assertThat(CommandPath.dbArgument("--db", "/x.db", "token", "list")).isEqualTo("/x.db");
        assertThat(CommandPath.dbArgument("--db=/y.db", "token", "list")).isEqualTo("/y.db");
        assertThat(CommandPath.dbArgument("--db", "/x.db", "token", "list", "--db", "/z.db")).isEqualTo("/z.db");
        assertThat(CommandPath.dbArgument("-o", "json", "token", "list")).isNull();
    }
}
