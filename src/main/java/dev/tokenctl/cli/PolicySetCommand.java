package dev.tokenctl.cli;

import dev.tokenctl.core.Durations;
import dev.tokenctl.core.Policy;
import dev.tokenctl.core.PolicyChange;
import dev.tokenctl.core.TokenctlException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "set", sortOptions = false,
        description = "Change the security policy. Changes that touch existing tokens need --yes; --dry-run shows them.",
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl policy set --max-expiry 30d --default-expiry 7d --dry-run",
                "  tokenctl policy set --enforce-ip-filter office --allow-permission-updates false",
                "  tokenctl policy show -o yaml > policy.yaml && tokenctl policy set --file policy.yaml --yes"})
final class PolicySetCommand extends BaseCommand {
    @Option(names = "--tokens-enabled", paramLabel = "BOOL", arity = "1",
            description = "true or false; false revokes every active token and blocks new ones.")
    Boolean tokensEnabled;

    @Option(names = "--max-expiry", paramLabel = "DURATION|none", converter = MaybeDuration.class,
            description = "Longest lifetime a token may be created or rotated with; lowering it cuts back longer-lived tokens.")
    MaybeDuration.Value maxExpiry;

    @Option(names = "--default-expiry", paramLabel = "DURATION|none", converter = MaybeDuration.class,
            description = "Lifetime used when create gives no expiry option; at most max-expiry.")
    MaybeDuration.Value defaultExpiry;

    @Option(names = "--enforce-ip-filter", paramLabel = "NAME|none",
            description = "IP filter applied to every token, or none.")
    String enforceIpFilter;

    @Option(names = "--allow-permission-updates", paramLabel = "BOOL", arity = "1",
            description = "true or false: whether 'token update' may change a token's permissions.")
    Boolean allowPermissionUpdates;

    @Option(names = "--file", paramLabel = "FILE",
            description = "Read the settings from a YAML or JSON file ('-' for stdin), as 'policy show -o yaml' writes them.")
    String file;

    @Option(names = "--dry-run", description = "Show what would change, including the tokens touched, and change nothing.")
    boolean dryRun;

    @Option(names = "--yes", description = "Confirm a change that revokes tokens or cuts back their expiry.")
    boolean yes;

    /** A duration or {@code none}; {@code value} is null for none. */
    static final class MaybeDuration implements ITypeConverter<MaybeDuration.Value> {
        record Value(Duration value) {
        }

        @Override
        public Value convert(String text) {
            return new Value(text.equals("none") ? null : Converters.convert(text, Durations::parse));
        }
    }

    @Override
    ExitCode run() {
        UnaryOperator<Policy> change = change();
        dev.tokenctl.core.PolicyService policies = app.policies();
        Output output = output();
        if (dryRun) {
            PolicyChange plan = policies.plan(change);
            describe(output, plan);
            return ExitCode.OK;
        }
        if (!yes) {
            PolicyChange plan = policies.plan(change);
            if (plan.touchesTokens()) {
                listEffects(err(), plan.effects());
                throw TokenctlException.invalid("this change would affect " + plan.effects().size()
                        + " existing token(s), listed above (rerun with --yes to apply it, or --dry-run to review)");
            }
        }
        PolicyChange applied = policies.apply(change, yes);
        if (!applied.effects().isEmpty()) {
            listEffects(err(), applied.effects());
        }
        PolicyCommand.print(output, applied.after());
        return ExitCode.OK;
    }

    private UnaryOperator<Policy> change() {
        boolean flags = tokensEnabled != null || maxExpiry != null || defaultExpiry != null || enforceIpFilter != null
                || allowPermissionUpdates != null;
        if (file != null && flags) {
            throw new ParameterException(spec.commandLine(), "--file cannot be combined with setting options"
                    + " (put every setting in the file, or use options only)");
        }
        if (file != null) {
            return PolicyFile.read(TextInput.read(file, context.stdin(), PolicyFile.MAX_BYTES),
                    file.equals("-") ? "on standard input" : Converters.shown(file));
        }
        if (!flags) {
            throw new ParameterException(spec.commandLine(), "nothing to change (give a setting option or --file)");
        }
        return p -> new Policy(
                tokensEnabled != null ? tokensEnabled : p.tokensEnabled(),
                maxExpiry != null ? maxExpiry.value() : p.maxExpiry(),
                defaultExpiry != null ? defaultExpiry.value() : p.defaultExpiry(),
                enforceIpFilter == null ? p.enforcedIpFilter() : enforceIpFilter.equals("none") ? null : enforceIpFilter,
                allowPermissionUpdates != null ? allowPermissionUpdates : p.allowPermissionUpdates());
    }

    /** Effect records for json/yaml dry runs. */
    record EffectView(String id, String name, String action, String expiresAt, String newExpiresAt) {
    }

    record PlanView(PolicyCommand.PolicyView before, PolicyCommand.PolicyView after, List<EffectView> effects) {
    }

    private static void describe(Output output, PolicyChange plan) {
        if (!output.isText()) {
            output.value(new PlanView(PolicyCommand.PolicyView.of(plan.before()), PolicyCommand.PolicyView.of(plan.after()),
                    plan.effects().stream().map(e -> new EffectView(e.token().id(), e.token().name(),
                            e.revokes() ? "revoke" : "cut-expiry", Times.iso(e.token().expiresAt()),
                            Times.iso(e.newExpiry()))).toList()));
            return;
        }
        PrintWriter out = output.out;
        String diff = dev.tokenctl.core.PolicyService.differences(plan.before(), plan.after());
        out.println(diff.isEmpty() ? "No setting changes." : "Would change: " + diff);
        if (plan.effects().isEmpty()) {
            out.println("No existing token is affected.");
        } else {
            listEffects(out, plan.effects());
        }
    }

    private static void listEffects(PrintWriter out, List<PolicyChange.Effect> effects) {
        Table table = new Table("ACTION", "ID", "NAME", "EXPIRES", "NEW EXPIRY");
        for (PolicyChange.Effect e : effects) {
            table.row(e.revokes() ? "revoke" : "cut-expiry", e.token().id(), e.token().name(),
                    e.token().expiresAt() == null ? "never" : Times.iso(e.token().expiresAt()),
                    e.revokes() ? "-" : Times.iso(e.newExpiry()));
        }
        table.print(out);
        out.flush();
    }
}
