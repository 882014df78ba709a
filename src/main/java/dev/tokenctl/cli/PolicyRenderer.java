package dev.tokenctl.cli;

import dev.tokenctl.core.Policy;
import dev.tokenctl.core.PolicyChange;
import dev.tokenctl.core.PolicyService;
import dev.tokenctl.core.PolicySetting;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/** The security policy and changes to it, as text, json or yaml: for policy show and policy set. */
final class PolicyRenderer {
    private PolicyRenderer() {
    }

    /** The policy: in json/yaml exactly what {@link PolicyFile} reads back. */
    static void show(Output output, Policy policy) {
        if (!output.isText()) {
            output.value(Views.policy(policy));
            return;
        }
        for (PolicySetting setting : PolicySetting.values()) {
            output.out.printf("%-26s%s%n", setting.label() + ":", setting.format(setting.get(policy)));
        }
    }

    /** What a change would do, for --dry-run. */
    static void plan(Output output, PolicyChange plan) {
        if (!output.isText()) {
            output.value(new Views.PlanView(Views.policy(plan.before()), Views.policy(plan.after()),
                    plan.effects().stream().map(PolicyRenderer::view).toList()));
            return;
        }
        PrintWriter out = output.out;
        String diff = PolicyService.differences(plan.before(), plan.after());
        out.println(diff.isEmpty() ? "No setting changes." : "Would change: " + diff);
        if (plan.effects().isEmpty()) {
            out.println("No existing token is affected.");
        } else {
            effects(out, plan.effects());
        }
    }

    private static Views.EffectView view(PolicyChange.Effect e) {
        Instant newExpiry = e.action() == PolicyChange.Action.CUT_EXPIRY ? e.newEnd() : null;
        Instant newRetiresAt = e.action() == PolicyChange.Action.CUT_GRACE ? e.newEnd() : null;
        return new Views.EffectView(e.token().id(), e.token().name(), e.action().label(), Times.iso(e.token().expiresAt()),
                Times.iso(newExpiry), newRetiresAt == null ? null : Times.iso(e.token().revokedAt()), Times.iso(newRetiresAt),
                e.change());
    }

    /** The tokens a change reaches, one line for each thing it changes for a token, as a table. */
    static void effects(PrintWriter out, List<PolicyChange.Effect> effects) {
        Table table = new Table("ACTION", "ID", "NAME", "CHANGE");
        for (PolicyChange.Effect e : effects) {
            table.row(e.action().label(), e.token().id(), e.token().name(), e.change());
        }
        table.print(out);
        out.flush();
    }
}
