package dev.tokenctl.cli;

import dev.tokenctl.core.Permission;
import java.util.Arrays;
import picocli.CommandLine.Command;

/** The permission catalog. */
@Command(name = "permissions", subcommands = PermissionsCommand.ListCommand.class, description = "Show the catalog of system permissions.")
final class PermissionsCommand {

    @Command(name = "list", description = "List every permission with its label, group and description.")
    static final class ListCommand extends BaseCommand {
        @Override
        ExitCode run() {
            Output output = output();
            if (!output.isText()) {
                output.value(Arrays.stream(Permission.values()).map(Views::permission).toList());
                return ExitCode.OK;
            }
            Table table = new Table("NAME", "LABEL", "GROUP", "DESCRIPTION");
            for (Permission p : Permission.values()) {
                table.row(p.name(), p.label(), p.group().label(), p.description());
            }
            table.print(output.out);
            return ExitCode.OK;
        }
    }
}
