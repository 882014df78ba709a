package dev.tokenctl.cli;

import dev.tokenctl.core.Token;
import dev.tokenctl.core.TokenService;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "list", description = "List tokens: by default every token that is not revoked, retiring and expired ones included.",
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl token list --label team=payments --label env",
                "  tokenctl token list --status retiring -o json",
                "  tokenctl token list --expiring-within 7d"})
final class TokenListCommand extends BaseCommand {
    /** The values of --status, spelled as users type them. */
    enum StatusOption { active, retiring, expired, revoked }

    @Option(names = "--all", description = "Include revoked tokens.")
    boolean all;

    @Option(names = "--status", paramLabel = "STATUS",
            description = "Only tokens of this status: ${COMPLETION-CANDIDATES}.")
    StatusOption status;

    @Option(names = "--expiring-within", paramLabel = "DURATION", converter = Converters.ExpiringWithinConverter.class,
            description = "Only tokens that expire within this time from now, e.g. 7d.")
    Duration expiringWithin;

    @Option(names = "--label", paramLabel = "KEY[=VALUE]", converter = Converters.LabelSelectorConverter.class,
            description = "Only tokens with this label (any value when only KEY is given); repeatable, all must match.")
    List<Map.Entry<String, String>> labels;

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
        TokenService tokens = app.tokens();
        Set<Token.Status> chosen = statuses;
        Map<String, String> selector = Converters.labels(labels);
        TokenRenderer.list(output(), err(), sink -> tokens.list(chosen, expiringWithin, selector, sink), context.clock().instant());
        return ExitCode.OK;
    }
}
