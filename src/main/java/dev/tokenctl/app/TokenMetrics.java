package dev.tokenctl.app;

import dev.tokenctl.core.Store;
import dev.tokenctl.core.Token;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The token gauges in Prometheus's text format, for {@code /metrics} and for
 * {@code tokenctl metrics} (node_exporter's textfile collector): how many tokens there are by
 * status, and when each active token that expires within a window does, so that an alert can
 * fire before it runs out.
 */
public final class TokenMetrics {
    public static final String TOKENS = "tokenctl_tokens";
    public static final String EXPIRY = "tokenctl_token_expiry_timestamp_seconds";

    private TokenMetrics() {
    }

    /**
     * Appends the gauges of the application's store at its clock's now; the expiry gauges for
     * the tokens whose labels match {@code labels} (all for none), each with its labels as
     * {@code label_KEY} (a key's '.' and '-' written '_').
     */
    public static void write(Application application, Duration window, Map<String, String> labels, StringBuilder out) {
        Instant now = application.session().now();
        Store.Counts counts = application.store().counts(now);
        out.append("# HELP ").append(TOKENS).append(" Tokens in the store, by status.\n");
        out.append("# TYPE ").append(TOKENS).append(" gauge\n");
        out.append(TOKENS).append("{status=\"active\"} ").append(counts.active()).append('\n');
        out.append(TOKENS).append("{status=\"retiring\"} ").append(counts.retiring()).append('\n');
        out.append(TOKENS).append("{status=\"expired\"} ").append(counts.expired()).append('\n');
        out.append(TOKENS).append("{status=\"revoked\"} ").append(counts.revoked()).append('\n');
        out.append("# HELP ").append(EXPIRY).append(" When an active token expires, for tokens expiring within ")
                .append(window.toDays() > 0 && window.equals(Duration.ofDays(window.toDays())) ? window.toDays() + " days"
                        : window.toSeconds() + " seconds").append(", as Unix time.\n");
        out.append("# TYPE ").append(EXPIRY).append(" gauge\n");
        application.tokens().list(EnumSet.of(Token.Status.ACTIVE), window, labels, t -> {
            out.append(EXPIRY).append("{id=\"").append(label(t.id())).append("\",name=\"").append(label(t.name())).append('"');
            Set<String> names = new HashSet<>();
            t.labels().forEach((key, value) -> {
                String name = "label_" + key.replace('.', '_').replace('-', '_');
                if (names.add(name)) {  // a.b and a_b: the first, in key order, is written
                    out.append(',').append(name).append("=\"").append(label(value)).append('"');
                }
            });
            out.append("} ").append(t.expiresAt().getEpochSecond()).append('\n');
        });
    }

    /** A label value as the text format escapes it: backslash, double quote and newline. */
    public static String label(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
