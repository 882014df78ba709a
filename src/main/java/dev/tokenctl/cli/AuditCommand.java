package dev.tokenctl.cli;

import dev.tokenctl.core.TokenFormat;
import dev.tokenctl.core.TokenService;
import java.time.Duration;
import java.time.Instant;
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
            Output output = output();
            if (!output.isText()) {
                try (Output.Sequence sequence = output.sequence()) {
                    tokens.audit(since, id, e -> sequence.add(Views.audit(e)));
                }
                return ExitCode.OK;
            }
            Table table = new Table("TIME", "USER", "ACTION", "TOKEN", "DETAILS");
            Instant now = context.clock().instant();
            tokens.audit(since, id, e -> table.row(Times.local(e.at(), now, output.context.zone(), ""), e.actor(),
                    e.action(), e.tokenId() == null ? "-" : e.tokenId(), e.details()));
            table.print(output.out);
            return ExitCode.OK;
        }
    }
}
