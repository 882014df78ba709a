package dev.tokenctl.cli;

import dev.tokenctl.core.Permission;
import dev.tokenctl.core.Token;
import dev.tokenctl.core.TokenService;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "list", description = "List tokens: by default every token that is not revoked, expired ones included.")
final class TokenListCommand extends BaseCommand {
    /** The values of --status, spelled as users type them. */
    enum StatusOption { active, expired, revoked }

    @Option(names = "--all", description = "Include revoked tokens.")
    boolean all;

    @Option(names = "--status", paramLabel = "STATUS",
            description = "Only tokens of this status: ${COMPLETION-CANDIDATES}.")
    StatusOption status;

    @Option(names = "--expiring-within", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Only tokens that expire within this time from now, e.g. 7d.")
    Duration expiringWithin;

    @Override
    ExitCode run() {
        if (all && status != null) {
            throw new ParameterException(spec.commandLine(), "--all and --status cannot be combined (use one of them)");
        }
        Set<Token.Status> statuses = all ? EnumSet.allOf(Token.Status.class)
                : status != null ? EnumSet.of(Token.Status.valueOf(status.name().toUpperCase(java.util.Locale.ROOT)))
                : TokenService.unrevoked();
        if (expiringWithin != null && status == null) {
            statuses = EnumSet.of(Token.Status.ACTIVE);
        }
        Output output = output();
        Instant now = context.clock().instant();
        TokenService tokens = app.tokens();
        if (!output.isText()) {
            try (Output.Sequence sequence = output.sequence()) {
                tokens.list(statuses, expiringWithin, t -> sequence.add(Views.token(t, now)));
            }
            return ExitCode.OK;
        }
        Table table = new Table("ID", "NAME", "PERMISSIONS", "STATUS", "EXPIRES", "IP FILTER", "CREATED", "LAST USED");
        // Tokens share a few permission sets; each is spelled out once.
        Map<Set<Permission>, String> spelled = new HashMap<>();
        tokens.list(statuses, expiringWithin, t -> table.row(t.id(), t.name(),
                spelled.computeIfAbsent(t.permissions(), Permission::format), t.status(now).label(),
                t.expiresAt() == null ? "never" : Times.date(t.expiresAt(), output.context.zone()) + " ("
                        + Times.relative(t.expiresAt(), now, false) + ")",
                t.ipFilter() == null ? "-" : t.ipFilter(),
                Times.date(t.createdAt(), output.context.zone()),
                t.lastUsedAt() == null ? "never" : Times.relative(t.lastUsedAt(), now, false)));
        boolean colour = Terminal.colour(output.context);
        table.shrinkable(2).shrinkable(1).shrinkable(5).droppable(6).droppable(7).droppable(5)
                .style(3, status -> Terminal.paint(colour, switch (status) {
                    case "active" -> "32";
                    case "expired" -> "33";
                    default -> "31";
                }, status))
                .print(output.out, Terminal.width(output.context));
        return ExitCode.OK;
    }
}
