package dev.tokenctl.cli;

import dev.tokenctl.core.Labels;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.Token;
import dev.tokenctl.core.TokenService;
import dev.tokenctl.core.TokenctlException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "revoke", sortOptions = false,
        description = "Revoke tokens at once, named or selected by label; their records are kept with the time and reason.",
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl token revoke billing-api --reason 'leaked in a build log'",
                "  tokenctl token revoke --label team=payments --dry-run",
                "  tokenctl token revoke --label team=payments --label env=staging --yes"})
final class TokenRevokeCommand extends BaseCommand {
    @Parameters(paramLabel = "ID|NAME", arity = "0..*",
            description = "The tokens to revoke; if one is not found, none is revoked.")
    List<String> tokens;

    @Option(names = "--label", paramLabel = "KEY[=VALUE]", converter = Converters.LabelSelectorConverter.class,
            description = "Instead, every token that is not revoked and has this label (any value when only KEY is"
                    + " given); repeatable, all must match. Needs --yes, or --dry-run.")
    List<Map.Entry<String, String>> labels;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why the tokens are revoked, kept with them.")
    String reason;

    @Option(names = "--dry-run", description = "Show the tokens that would be revoked, and revoke nothing.")
    boolean dryRun;

    @Option(names = "--yes", description = "Confirm revoking the tokens --label selects.")
    boolean yes;

    @Override
    ExitCode run() {
        Map<String, String> selector = Converters.labels(labels);
        boolean named = tokens != null && !tokens.isEmpty();
        if (named == !selector.isEmpty()) {
            throw new ParameterException(spec.commandLine(), named ? "give tokens by ID|NAME or by --label, not both"
                    : "no token given (give ID|NAME, or --label KEY=VALUE)");
        }
        TokenService service = app.tokens();
        if (dryRun || !named && !yes) {
            List<Token> chosen = new ArrayList<>();
            if (named) {
                tokens.forEach(t -> chosen.add(service.resolve(t)));
            } else {
                service.list(TokenService.unrevoked(), null, selector, chosen::add);
            }
            if (dryRun) {
                TokenRenderer.list(output(), err(), chosen::forEach, context.clock().instant());
                return ExitCode.OK;
            }
            if (!chosen.isEmpty()) {
                for (Token t : chosen) {
                    err().println("  " + t.id() + " " + Text.escape(t.name()));
                }
                throw TokenctlException.invalid("this would revoke " + Text.count(chosen.size(), "token")
                        + ", listed above (rerun with --yes to revoke them, or --dry-run to review)");
            }
        }
        // Unconfirmed, only an empty selection gets here: nothing to revoke.
        List<TokenService.Revoked> outcome = named ? service.revoke(tokens, reason)
                : yes ? service.revokeLabelled(selector, reason) : List.of();
        if (outcome.isEmpty()) {
            err().println("tokenctl: no token that is not revoked matches --label " + Text.escape(Labels.format(selector))
                    + "; nothing revoked");
        }
        TokenRenderer.revoked(output(), err(), outcome);
        return ExitCode.OK;
    }
}
