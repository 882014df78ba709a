package dev.tokenctl.cli;

import picocli.CommandLine.Command;

/** The token commands. */
@Command(name = "token", subcommands = {TokenCreateCommand.class, TokenListCommand.class, TokenShowCommand.class,
        TokenVerifyCommand.class, TokenRotateCommand.class, TokenUpdateCommand.class, TokenRevokeCommand.class},
        description = "Create, list, show, verify, rotate, update and revoke tokens.")
final class TokenCommand {
}
