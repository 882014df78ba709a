package dev.tokenctl.cli;

import dev.tokenctl.core.Policy;
import dev.tokenctl.core.PolicyChange;
import dev.tokenctl.core.PolicyService;
import dev.tokenctl.core.PolicySetting;
import dev.tokenctl.core.TokenctlException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "set", sortOptions = false, modelTransformer = PolicySetCommand.SettingOptions.class,
        description = "Change the security policy. Changes that restrict existing tokens need --yes; --dry-run shows them.",
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl policy set --max-expiry 30d --default-expiry 7d --dry-run",
                "  tokenctl policy set --enforce-ip-filter office --allow-permission-updates false",
                "  tokenctl policy show -o yaml > policy.yaml && tokenctl policy set --file policy.yaml --yes"})
final class PolicySetCommand extends BaseCommand {
    @Option(names = "--file", paramLabel = "FILE",
            description = "Read the settings from a YAML or JSON file ('-' for stdin), as 'policy show -o yaml' writes them.")
    String file;

    @Option(names = "--dry-run", description = "Show what would change, including the tokens touched, and change nothing.")
    boolean dryRun;

    @Option(names = "--yes", description = "Confirm a change that restricts existing tokens (revokes them, cuts back their expiry or grace, or adds an IP filter).")
    boolean yes;

    /** One option for each policy setting, made from its definition, before the options above. */
    static final class SettingOptions implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            List<OptionSpec> annotated = new ArrayList<>(spec.options());
            annotated.forEach(spec::remove);
            for (PolicySetting setting : PolicySetting.values()) {
                OptionSpec.Builder option = OptionSpec.builder(setting.flag()).paramLabel(setting.valueLabel())
                        .arity("1").type(Object.class).description(setting.description())
                        .converters(text -> Converters.convert(text, setting::parse));
                if (setting.type() == PolicySetting.Type.BOOLEAN) {
                    option.completionCandidates(List.of("true", "false"));
                }
                spec.addOption(option.build());
            }
            annotated.forEach(spec::addOption);
            return spec;
        }
    }

    @Override
    ExitCode run() {
        UnaryOperator<Policy> change = change();
        PolicyService policies = app.policies();
        Output output = output();
        if (dryRun) {
            PolicyRenderer.plan(output, policies.plan(change));
            return ExitCode.OK;
        }
        if (!yes) {
            PolicyChange plan = policies.plan(change);
            if (plan.needsConfirmation()) {
                PolicyRenderer.effects(err(), plan.effects());
                throw TokenctlException.invalid("this change would affect " + plan.effects().size()
                        + " existing token(s), listed above (rerun with --yes to apply it, or --dry-run to review)");
            }
        }
        PolicyChange applied = policies.apply(change, yes);
        if (!applied.effects().isEmpty()) {
            PolicyRenderer.effects(err(), applied.effects());
        }
        PolicyRenderer.show(output, applied.after());
        return ExitCode.OK;
    }

    private UnaryOperator<Policy> change() {
        UnaryOperator<Policy> change = UnaryOperator.identity();
        boolean flags = false;
        for (PolicySetting setting : PolicySetting.values()) {
            if (spec.commandLine().getParseResult().hasMatchedOption(setting.flag())) {
                Object value = spec.findOption(setting.flag()).getValue();
                UnaryOperator<Policy> previous = change;
                change = p -> setting.with(previous.apply(p), value);
                flags = true;
            }
        }
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
        return change;
    }
}
