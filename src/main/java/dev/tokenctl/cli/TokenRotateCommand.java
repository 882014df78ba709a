package dev.tokenctl.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rotate",
        description = "Replace a token with a new one of the same name, permissions, IP filter and labels, and revoke the"
                + " old one: at once, or with --grace when the old one is still valid (retiring).",
        footerHeading = "%nExamples:%n",
        footer = {"  Rotate a service's token, keeping the old one valid while the new one is deployed:",
                "    tokenctl token rotate billing-api --grace 30m --secret-out billing-api.token",
                "  Rotate at once, with a new lifetime:",
                "    tokenctl token rotate tctl_4fJ8kQ2mN7pR1sT --expires-in 30d"})
final class TokenRotateCommand extends BaseCommand {
    @Parameters(paramLabel = "ID|NAME", description = "The token to rotate.")
    String token;

    @Option(names = "--expires-in", paramLabel = "DURATION", converter = Converters.RotatedLifetimeConverter.class,
            description = "Lifetime of the new token (default: the old token's lifetime length, counted from now).")
    Duration expiresIn;

    @Option(names = "--grace", paramLabel = "DURATION", converter = Converters.GraceConverter.class,
            description = "Keep the old token valid this long (never past its own expiry; at most the policy's"
                    + " max-rotation-grace, 1h unless changed); rotating the new one ends this grace at once.")
    Duration grace;

    @Option(names = "--secret-out", paramLabel = "FILE", converter = Converters.PathConverter.class,
            description = "Write the new token to this new file (mode 0600) instead of stdout; never overwrites.")
    Path secretOut;

    @Override
    ExitCode run() throws Exception {
        return Issued.issue(this, secretOut, "Rotated: new", () -> app.tokens().rotate(token, expiresIn, grace));
    }
}
