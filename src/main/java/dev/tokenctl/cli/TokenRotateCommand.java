package dev.tokenctl.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rotate",
        description = "Replace a token with a new one of the same name, permissions and IP filter, and revoke the old one.")
final class TokenRotateCommand extends BaseCommand {
    @Parameters(paramLabel = "ID|NAME", description = "The token to rotate.")
    String token;

    @Option(names = "--expires-in", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Lifetime of the new token (default: the old token's lifetime length, counted from now).")
    Duration expiresIn;

    @Option(names = "--secret-out", paramLabel = "FILE", converter = Converters.PathConverter.class,
            description = "Write the new token to this new file (mode 0600) instead of stdout; never overwrites.")
    Path secretOut;

    @Override
    ExitCode run() throws Exception {
        return Issued.issue(this, secretOut, "Rotated: new", () -> app.tokens().rotate(token, expiresIn));
    }
}
