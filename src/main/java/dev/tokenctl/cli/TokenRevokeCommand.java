package dev.tokenctl.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "revoke", description = "Revoke tokens at once; their records are kept with the time and reason.")
final class TokenRevokeCommand extends BaseCommand {
    @Parameters(paramLabel = "ID|NAME", arity = "1..*", description = "The tokens to revoke; if one is not found, none is revoked.")
    List<String> tokens;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why the tokens are revoked, kept with them.")
    String reason;

    @Override
    ExitCode run() {
        TokenRenderer.revoked(output(), err(), app.tokens().revoke(tokens, reason));
        return ExitCode.OK;
    }
}
