package dev.tokenctl.cli;

import dev.tokenctl.core.Labels;
import dev.tokenctl.core.Permission;
import dev.tokenctl.core.Selection;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.Token;
import dev.tokenctl.core.TokenService;
import dev.tokenctl.core.Verification;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Tokens as text, json or yaml: for show, list, update, revoke, verify and the metadata of create and rotate. */
final class TokenRenderer {
    private TokenRenderer() {
    }

    /** Every field of one token (never its secret). */
    static void show(Output output, Token t, Instant now) {
        if (!output.isText()) {
            output.value(Views.token(t, now));
            return;
        }
        PrintWriter out = output.out;
        ZoneId zone = output.context.zone();
        field(out, "ID", t.id());
        field(out, "Name", t.name());
        field(out, "Description", t.description() == null ? "-" : t.description());
        field(out, "Status", t.status(now).label());
        field(out, "Permissions", String.join(", ", Views.names(t.permissions())));
        field(out, "Created", Times.local(t.createdAt(), now, zone, "-"));
        field(out, "Expires", Times.local(t.expiresAt(), now, zone, "never"));
        field(out, "IP filter", t.ipFilter() == null ? "-" : t.ipFilter());
        field(out, "Labels", t.labels().isEmpty() ? "-" : Labels.format(t.labels()));
        field(out, "Last used", Times.local(t.lastUsedAt(), now, zone, "never")
                + (t.lastUsedAddress() == null ? "" : " from " + t.lastUsedAddress()));
        Token.Status status = t.status(now);
        if (status == Token.Status.REVOKED || status == Token.Status.RETIRING) {
            field(out, status == Token.Status.REVOKED ? "Revoked" : "Retires", Times.local(t.revokedAt(), now, zone, "-"));
            field(out, "Reason", t.revokeReason());
        }
        if (t.rotatedFrom() != null) {
            field(out, "Rotated from", t.rotatedFrom());
        }
    }

    private static void field(PrintWriter out, String label, String value) {
        out.printf("%-13s %s%n", label + ":", Text.escape(value));
    }

    /**
     * The tokens {@code source} gives, streamed as json/yaml, or as a table for people: on a
     * terminal it fits the width by writing long permission lists as {@code First +N} and then
     * leaving out columns from the right, never the id, the name or the status, and says on
     * {@code err} which it left out; {@code -o wide} shows all, labels too.
     */
    static void list(Output output, PrintWriter err, Consumer<Consumer<Token>> source, Instant now) {
        if (!output.isText()) {
            try (Output.Sequence sequence = output.sequence()) {
                source.accept(t -> sequence.add(Views.token(t, now)));
            }
            return;
        }
        ZoneId zone = output.context.zone();
        boolean wide = output.format == Output.Format.wide;
        String[] headers = {"ID", "NAME", "PERMISSIONS", "STATUS", "EXPIRES", "IP FILTER", "CREATED", "LAST USED", "LABELS"};
        Table table = new Table(wide ? headers : Arrays.copyOf(headers, headers.length - 1));
        // Tokens share a few permission sets, each one object as the store reads them (an equal set
        // that is another object is only spelled out twice): each is spelled out once.
        Map<Set<Permission>, String> spelled = new IdentityHashMap<>();
        source.accept(t -> {
            String[] cells = {t.id(), t.name(),
                spelled.computeIfAbsent(t.permissions(), Permission::format), status(t, now),
                t.expiresAt() == null ? "never" : Times.date(t.expiresAt(), zone) + " ("
                        + Times.relative(t.expiresAt(), now, false) + ")",
                t.ipFilter() == null ? "-" : t.ipFilter(),
                Times.date(t.createdAt(), zone),
                t.lastUsedAt() == null ? "never" : Times.relative(t.lastUsedAt(), now, false),
                wide ? (t.labels().isEmpty() ? "-" : Labels.format(t.labels())) : null};
            table.row(wide ? cells : Arrays.copyOf(cells, cells.length - 1));
        });
        boolean colour = Terminal.colour(output.context);
        List<String> leftOut = table.keep(1, 3).compact(2, TokenRenderer::summary)
                .style(3, status -> Terminal.paint(colour, status.startsWith("retiring") ? "33" : switch (status) {
                    case "active" -> "32";
                    case "expired" -> "33";
                    default -> "31";
                }, status))
                .print(output.out, output.width());
        if (!leftOut.isEmpty()) {
            output.out.flush();
            err.println("tokenctl: note: columns left out to fit the terminal: " + String.join(", ", leftOut)
                    + " (-o wide shows them)");
        }
    }

    /** The status, with when a retiring token stops working. */
    private static String status(Token t, Instant now) {
        Instant retiresAt = t.retiresAt(now);
        return retiresAt == null ? t.status(now).label()
                : "retiring (" + Times.relative(retiresAt, now, false) + ")";
    }

    /** {@code A,B,C} as {@code A +2}: the first permission, in catalog order, and how many more. */
    static String summary(String permissions) {
        int comma = permissions.indexOf(',');
        if (comma < 0) {
            return permissions;
        }
        long more = permissions.chars().filter(c -> c == ',').count();
        return permissions.substring(0, comma) + " +" + more;
    }

    /**
     * What a revoke would revoke: the tokens as a listing shows them, then the fingerprint that
     * revokes exactly these, on stdout after a table, on stderr after json or yaml (whose array
     * of tokens stays what it was).
     */
    static void selection(Output output, PrintWriter err, Selection selection, Instant now) {
        String fingerprint = "fingerprint: " + selection.fingerprint() + " (give it to --fingerprint with --yes to revoke"
                + " exactly the " + Text.count(selection.tokens().size(), "token") + " listed)";
        if (!output.isText()) {
            output.value(selection.tokens().stream().map(t -> Views.token(t, now)).toList());
            err.println("tokenctl: " + fingerprint);
            return;
        }
        list(output, err, selection.tokens()::forEach, now);
        output.out.println(fingerprint);
    }

    /** What revoke did: one line each on stdout, and on stderr for tokens revoked before. */
    static void revoked(Output output, PrintWriter err, List<TokenService.Revoked> outcome) {
        if (!output.isText()) {
            output.value(outcome.stream().map(r -> new Views.RevokedView(r.token().id(), r.token().name(),
                    Times.iso(r.token().revokedAt()), r.token().revokeReason(), r.alreadyRevoked())).toList());
        }
        for (TokenService.Revoked r : outcome) {
            String token = r.token().id() + " (" + Text.escape(r.token().name()) + ")";
            if (r.alreadyRevoked()) {
                err.println("tokenctl: " + token + " was already revoked"
                        + (output.isText() ? " at " + Times.iso(r.token().revokedAt()) : ""));
            } else if (output.isText()) {
                output.out.println("revoked " + r.token().id() + " " + Text.escape(r.token().name()));
            }
        }
    }

    /** One answer of verify: text on stdout when valid and on stderr when denied, or one json/yaml document. */
    static void verification(Output output, PrintWriter err, Verification v) {
        if (!output.isText()) {
            output.value(Views.verification(v));
        } else if (v.valid()) {
            output.out.println(valid(v));
        } else {
            err.println("denied: " + v.reason().label());
        }
    }

    /** One answer of verify --batch: a line of text or of JSON Lines, or a YAML document. */
    static void answer(Output output, Verification v) {
        if (output.isText()) {
            output.out.println(v.valid() ? valid(v) : "denied: " + v.reason().label());
        } else {
            output.line(Views.verification(v));
        }
    }

    private static String valid(Verification v) {
        return "valid " + v.token().id() + " " + Text.escape(v.token().name());
    }
}
