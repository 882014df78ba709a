package dev.tokenctl.cli;

import picocli.CommandLine.Command;

/** The token commands. */
@Command(name = "token", description = "Create, list, show, verify, rotate, update and revoke tokens.")
final class TokenCommand {
}
