package dev.tokenctl.cli;

import dev.tokenctl.core.AuditEvent;
import dev.tokenctl.core.Text;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
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
        boolean wide = output.format == Output.Format.wide;
        Table table = wide ? new Table("SEQ", "TIME", "USER", "ACTION", "TOKEN", "DETAILS")
                : new Table("TIME", "USER", "ACTION", "TOKEN", "DETAILS");
        source.accept(e -> {
            String time = Times.local(e.at(), now, output.context.zone(), "");
            String token = e.tokenId() == null ? "-" : e.tokenId();
            if (wide) {
                table.row(Long.toString(e.seq()), time, e.actor(), e.action(), token, e.details());
            } else {
                table.row(time, e.actor(), e.action(), token, e.details());
            }
        });
        table.print(output.out);
    }

    private static final DateTimeFormatter STREAMED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /**
     * Prints events one at a time as they come, each written out at once: a line of JSON Lines,
     * a YAML document, or a line of text (local time, user, action, token, details; -o wide puts
     * the event's number first).
     */
    static Consumer<AuditEvent> stream(Output output) {
        return e -> {
            if (output.isText()) {
                output.out.println((output.format == Output.Format.wide ? e.seq() + "  " : "") + STREAMED.format(e.at().atZone(output.context.zone())) + "  " + Text.escape(e.actor())
                        + "  " + Text.escape(e.action()) + "  " + (e.tokenId() == null ? "-" : Text.escape(e.tokenId()))
                        + "  " + Text.escape(e.details()));
            } else {
                output.line(Views.audit(e));
            }
            output.out.flush();
        };
    }
}
