package dev.tokenctl.startup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenctl.cli.Cli;
import dev.tokenctl.cli.TokenctlCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The launcher's command table has an entry for every command path of the tree, and none for a
 * path the tree lacks. A command without one still runs, with every jar and the general
 * archive (StartupIT), only slower.
 */
class LauncherTableTest {
    @Test
    void theLaunchersTableCoversTheCommandTree() throws Exception {
        String launcher = Files.readString(Path.of("src/main/sh/tokenctl"));
        String table = launcher.substring(launcher.indexOf("lookup() {"), launcher.indexOf("*) return 1 ;;"));
        table = table.substring(table.indexOf(" in\n") + 4).replaceAll("kind=[a-z]+ ;;", "").replace("\\\n", "");
        List<String> entries = new ArrayList<>();
        for (String entry : table.split("[|)\n]")) {
            if (!entry.isBlank()) {
                entries.add(entry.strip().replace("'", ""));
            }
        }
        List<String> paths = new ArrayList<>(List.of(""));
        for (Map.Entry<String, Class<?>> command : Cli.subcommands(TokenctlCommand.class).entrySet()) {
            paths.add(command.getKey());
            for (String sub : Cli.subcommands(command.getValue()).keySet()) {
                paths.add(command.getKey() + " " + sub);
            }
        }
        assertThat(paths).hasSize(29);
        assertThat(entries).as("the launcher's table").containsExactlyInAnyOrderElementsOf(paths);
        assertThat(launcher).contains("    serve) kind=all ;;");
    }
}
