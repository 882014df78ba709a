package dev.tokenctl.cli;

import dev.tokenctl.core.Policy;
import dev.tokenctl.core.PolicyChange;
import dev.tokenctl.core.PolicyService;
import dev.tokenctl.core.PolicySetting;
import java.io.PrintWriter;
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
                    plan.effects().stream().map(e -> new Views.EffectView(e.token().id(), e.token().name(),
                            e.revokes() ? "revoke" : "cut-expiry", Times.iso(e.token().expiresAt()),
                            Times.iso(e.newExpiry()))).toList()));
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

    /** The tokens a change revokes or cuts back, as a table. */
    static void effects(PrintWriter out, List<PolicyChange.Effect> effects) {
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
