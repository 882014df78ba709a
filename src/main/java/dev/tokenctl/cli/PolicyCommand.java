package dev.tokenctl.cli;

import picocli.CommandLine.Command;

/** The security policy commands. */
@Command(name = "policy", subcommands = {PolicyCommand.ShowCommand.class, PolicySetCommand.class},
        description = "Show or change the security policy that bounds every token.")
final class PolicyCommand {

    @Command(name = "show", description = "Show the security policy; -o yaml or -o json gives what 'policy set --file' reads.")
    static final class ShowCommand extends BaseCommand {
        @Override
        ExitCode run() {
            PolicyRenderer.show(output(), app.policies().policy());
            return ExitCode.OK;
        }
    }
}
