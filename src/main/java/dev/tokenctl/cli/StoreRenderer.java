package dev.tokenctl.cli;

import dev.tokenctl.core.Text;
import java.io.PrintWriter;

/** The store as text, json or yaml: for store info and store copy. */
final class StoreRenderer {
    private StoreRenderer() {
    }

    /** What and where the store is, and what it holds. */
    static void info(Output output, Views.StoreInfoView view) {
        if (!output.isText()) {
            output.value(view);
            return;
        }
        PrintWriter out = output.out;
        out.printf("%-16s%s%n", "engine:", view.engine());
        out.printf("%-16s%s%n", "location:", Text.escape(view.location()));
        out.printf("%-16s%d%n", "schema-version:", view.schemaVersion());
        out.printf("%-16s%d (%d active, %d retiring, %d expired, %d revoked)%n", "tokens:", view.tokens(),
                view.activeTokens(), view.retiringTokens(), view.expiredTokens(), view.revokedTokens());
        out.printf("%-16s%d%n", "ip-filters:", view.ipFilters());
        out.printf("%-16s%d%n", "audit-events:", view.auditEvents());
    }

    /** What a copy moved, from where to where. */
    static void copy(Output output, Views.CopyView view) {
        if (!output.isText()) {
            output.value(view);
            return;
        }
        output.out.printf("copied %s, %s, the policy and %s%n  from %s%n  to   %s%n", Text.count(view.tokens(), "token"),
                Text.count(view.ipFilters(), "IP filter"), Text.count(view.auditEvents(), "audit event"),
                Text.escape(view.from()), Text.escape(view.to()));
    }
}
