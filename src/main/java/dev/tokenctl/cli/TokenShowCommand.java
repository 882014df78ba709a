package dev.tokenctl.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = "Show every field of one token (never its secret).")
final class TokenShowCommand extends BaseCommand {
    @Parameters(paramLabel = "ID|NAME", description = "The token: an id, or the name of a token.")
    String token;

    @Override
    ExitCode run() {
        TokenRenderer.show(output(), app.tokens().resolve(token), context.clock().instant());
        return ExitCode.OK;
    }
}
