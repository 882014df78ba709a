package dev.tokenctl.cli;

import dev.tokenctl.core.Labels;
import dev.tokenctl.core.Selection;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.Token;
import dev.tokenctl.core.TokenService;
import dev.tokenctl.core.TokenctlException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "revoke", sortOptions = false,
        description = "Revoke tokens at once, named or selected by label; their records are kept with the time and reason.",
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl token revoke billing-api --reason 'leaked in a build log'",
                "  tokenctl token revoke --label team=payments --dry-run",
                "  tokenctl token revoke --label team=payments --label env=staging --yes",
                "  tokenctl token revoke --label team=payments --yes --fingerprint 2-3f9a2c41b7d0",
                "  tokenctl token revoke --ids-from reviewed-ids.txt"})
final class TokenRevokeCommand extends BaseCommand {
    /** Most bytes --ids-from reads: some 45,000 ids. */
    static final int MAX_IDS_BYTES = 1 << 20;

    @Parameters(paramLabel = "ID|NAME", arity = "0..*",
            description = "The tokens to revoke; if one is not found, none is revoked.")
    List<String> tokens;

    @Option(names = "--label", paramLabel = "KEY[=VALUE]", converter = Converters.LabelSelectorConverter.class,
            description = "Instead, every token that is not revoked and has this label (any value when only KEY is"
                    + " given); repeatable, all must match. Needs --yes, or --dry-run.")
    List<Map.Entry<String, String>> labels;

    @Option(names = "--ids-from", paramLabel = "FILE|-",
            description = "Instead, exactly the tokens of the ids in this file (- for stdin), one a line; if one is"
                    + " revoked or does not match --label, none is revoked (exit 4).")
    String idsFrom;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why the tokens are revoked, kept with them.")
    String reason;

    @Option(names = "--dry-run", description = "Show the tokens that would be revoked and their fingerprint, and revoke"
            + " nothing.")
    boolean dryRun;

    @Option(names = "--yes", description = "Confirm revoking the tokens --label selects.")
    boolean yes;

    @Option(names = "--fingerprint", paramLabel = "FINGERPRINT", converter = Converters.FingerprintConverter.class,
            description = "Revoke only if the tokens chosen are still those --dry-run gave this fingerprint for;"
                    + " otherwise none (exit 4).")
    String fingerprint;

    @Override
    ExitCode run() {
        Map<String, String> selector = Converters.labels(labels);
        boolean named = tokens != null && !tokens.isEmpty();
        boolean listed = idsFrom != null;
        if (named && (listed || !selector.isEmpty())) {
            throw new ParameterException(spec.commandLine(), "give tokens by ID|NAME or by --label and --ids-from, not both");
        }
        if (!named && !listed && selector.isEmpty()) {
            throw new ParameterException(spec.commandLine(),
                    "no token given (give ID|NAME, --label KEY=VALUE or --ids-from FILE)");
        }
        Selection.Criteria criteria = named ? new Selection.Named(tokens)
                : listed ? new Selection.Listed(ids(), selector) : new Selection.Labelled(selector);
        TokenService service = app.tokens();
        if (dryRun) {
            TokenRenderer.selection(output(), err(), service.select(criteria, fingerprint), context.clock().instant());
            return ExitCode.OK;
        }
        boolean unconfirmed = criteria instanceof Selection.Labelled && !yes;
        if (unconfirmed) {
            List<Token> chosen = service.select(criteria, fingerprint).tokens();
            if (!chosen.isEmpty()) {
                for (Token t : chosen) {
                    err().println("  " + t.id() + " " + Text.escape(t.name()));
                }
                throw TokenctlException.invalid("this would revoke " + Text.count(chosen.size(), "token")
                        + ", listed above (rerun with --yes to revoke them, or --dry-run to review)");
            }
        }
        // Unconfirmed, only an empty selection gets here: nothing to revoke.
        List<TokenService.Revoked> outcome = unconfirmed ? List.of() : service.revoke(criteria, reason, fingerprint);
        if (outcome.isEmpty()) {
            err().println("tokenctl: no token that is not revoked matches --label " + Text.escape(Labels.format(selector))
                    + "; nothing revoked");
        }
        TokenRenderer.revoked(output(), err(), outcome);
        return ExitCode.OK;
    }

    /** The ids --ids-from gives, each once: one a line, blank lines and surrounding whitespace ignored. */
    private Set<String> ids() {
        Set<String> ids = new LinkedHashSet<>();
        for (String line : TextInput.read("--ids-from", idsFrom, context.stdin(), MAX_IDS_BYTES).split("\n")) {
            if (!line.isBlank()) {
                ids.add(line.strip());
            }
        }
        if (ids.isEmpty()) {
            throw new Cli.UsageException("--ids-from " + (idsFrom.equals("-") ? "-" : Converters.shown(idsFrom))
                    + " holds no token id (give one id per line)");
        }
        return ids;
    }
}
