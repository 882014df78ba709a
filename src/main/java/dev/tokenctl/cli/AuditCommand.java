package dev.tokenctl.cli;

import dev.tokenctl.core.TokenFormat;
import dev.tokenctl.core.TokenService;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The audit log. */
@Command(name = "audit", description = "Read the audit log.")
final class AuditCommand {

    @Command(name = "list", description = "List audit events, oldest first: creations, revocations, rotations,"
            + " denied verifies, policy and filter changes.")
    static final class ListCommand extends BaseCommand {
        @Option(names = "--since", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
                description = "Only events within this time before now, e.g. 24h.")
        Duration since;

        @Option(names = "--token", paramLabel = "ID|NAME", description = "Only events of this token.")
        String token;

        @Override
        ExitCode run() {
            TokenService tokens = app.tokens();
            String id = token == null || TokenFormat.looksLikeId(token) ? token : tokens.resolve(token).id();
            AuditRenderer.list(output(), sink -> tokens.audit(since, id, sink), context.clock().instant());
            return ExitCode.OK;
        }
    }
}
