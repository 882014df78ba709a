package dev.tokenctl.cli;

import dev.tokenctl.core.IpFilter;
import dev.tokenctl.core.IpFilterService;
import dev.tokenctl.core.Text;
import inet.ipaddr.IPAddress;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/** IP filters as text, json or yaml: for add, update, show, list and test. */
final class IpFilterRenderer {
    private IpFilterRenderer() {
    }

    /** One filter: what uses it, and its rules with their line numbers. */
    static void show(Output output, IpFilter filter, IpFilterService.Users users) {
        if (!output.isText()) {
            output.value(Views.filter(filter, users));
            return;
        }
        PrintWriter out = output.out;
        out.println("Name:     " + filter.name());
        out.println("Used by:  " + (users.policy() ? "the policy (enforced), " : "") + users.tokens().size()
                + " token(s)");
        out.println("Rules:");
        String[] lines = filter.text().split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            // Comments are the user's text, kept as written: escaped, so a terminal shows what is stored.
            out.printf("%5d  %s%n", i + 1, Text.escape(lines[i]));
        }
    }

    /** Every filter, with its rule count and users. */
    static void list(Output output, IpFilterService filters, Instant now) {
        List<IpFilter> all = filters.list();
        if (!output.isText()) {
            output.value(all.stream().map(f -> Views.filter(f, filters.users(f.name()))).toList());
            return;
        }
        Table table = new Table("NAME", "RULES", "TOKENS", "POLICY", "UPDATED");
        for (IpFilter f : all) {
            IpFilterService.Users users = filters.users(f.name());
            table.row(f.name(), String.valueOf(f.rules().size()), String.valueOf(users.tokens().size()),
                    users.policy() ? "enforced" : "-", Times.local(f.updatedAt(), now, output.context.zone(), ""));
        }
        table.print(output.out, output.width());
    }

    /** How a filter decided on an address, and by which rule. */
    static void decision(Output output, String name, IPAddress address, IpFilter.Decision decision) {
        String action = decision.allowed() ? "allow" : "deny";
        if (output.isText()) {
            output.out.println(action + " " + IpFilter.format(address) + (decision.rule() == null
                    ? " (no rule matched: denied by default)"
                    : " (line " + decision.rule().line() + ": " + decision.rule().text() + ")"));
        } else {
            output.value(new Views.DecisionView(name, IpFilter.format(address), decision.allowed(), action,
                    decision.rule() == null ? null : decision.rule().line(),
                    decision.rule() == null ? null : decision.rule().text()));
        }
    }
}
