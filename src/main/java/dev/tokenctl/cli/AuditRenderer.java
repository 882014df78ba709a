package dev.tokenctl.cli;

import dev.tokenctl.core.AuditEvent;
import java.time.Instant;
import java.util.function.Consumer;

/** Audit events as text, json or yaml: for audit list. */
final class AuditRenderer {
    private AuditRenderer() {
    }

    /** The events {@code source} gives, oldest first: streamed as json/yaml, or a table. */
    static void list(Output output, Consumer<Consumer<AuditEvent>> source, Instant now) {
        if (!output.isText()) {
            try (Output.Sequence sequence = output.sequence()) {
                source.accept(e -> sequence.add(Views.audit(e)));
            }
            return;
        }
        Table table = new Table("TIME", "USER", "ACTION", "TOKEN", "DETAILS");
        source.accept(e -> table.row(Times.local(e.at(), now, output.context.zone(), ""), e.actor(),
                e.action(), e.tokenId() == null ? "-" : e.tokenId(), e.details()));
        table.print(output.out);
    }
}
