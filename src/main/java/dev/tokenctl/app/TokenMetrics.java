package dev.tokenctl.app;

import dev.tokenctl.core.Labels;
import dev.tokenctl.core.Store;
import dev.tokenctl.core.Token;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The token gauges in Prometheus's text format, for {@code /metrics} and for
 * {@code tokenctl metrics} (node_exporter's textfile collector): how many tokens there are by
 * status, and when each active token that expires within a window does, so that an alert can
 * fire before it runs out.
 */
public final class TokenMetrics {
    public static final String TOKENS = "tokenctl_tokens";
    public static final String EXPIRY = "tokenctl_token_expiry_timestamp_seconds";
    public static final String OMITTED = "tokenctl_token_expiry_series_omitted";
    /**
     * The most expiry series {@code serve} writes: a scrape's text, and the time to write it,
     * stay within the server's heap and the other requests' latency whatever the store's size.
     */
    public static final int SERVE_MAX_SERIES = 10_000;

    private TokenMetrics() {
    }

    /**
     * Writes the gauges of the application's store at its clock's now, as it reads them: the
     * expiry gauges of at most {@code maxSeries} tokens whose labels match {@code labels} (all for
     * none), those that expire soonest, each with its labels as {@link Labels#metricName} names
     * them; then how many matching tokens were left out.
     *
     * @throws UncheckedIOException when {@code out} cannot be written
     */
    public static void write(Application application, Duration window, Map<String, String> labels, int maxSeries,
                             Appendable out) {
        try {
            writeGauges(application, window, labels, maxSeries, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeGauges(Application application, Duration window, Map<String, String> labels, int maxSeries,
                                    Appendable out) throws IOException {
        Store.Counts counts = counts(application);
        out.append("# HELP ").append(TOKENS).append(" Tokens in the store, by status.\n");
        out.append("# TYPE ").append(TOKENS).append(" gauge\n");
        out.append(TOKENS).append("{status=\"active\"} ").append(String.valueOf(counts.active())).append('\n');
        out.append(TOKENS).append("{status=\"retiring\"} ").append(String.valueOf(counts.retiring())).append('\n');
        out.append(TOKENS).append("{status=\"expired\"} ").append(String.valueOf(counts.expired())).append('\n');
        out.append(TOKENS).append("{status=\"revoked\"} ").append(String.valueOf(counts.revoked())).append('\n');
        String within = window.toDays() > 0 && window.equals(Duration.ofDays(window.toDays())) ? window.toDays() + " days"
                : window.toSeconds() + " seconds";
        out.append("# HELP ").append(EXPIRY).append(" When an active token expires, for tokens expiring within ")
                .append(within).append(", as Unix time")
                .append(maxSeries < Integer.MAX_VALUE ? "; at most " + maxSeries + " series, the soonest first.\n" : ".\n");
        out.append("# TYPE ").append(EXPIRY).append(" gauge\n");
        long omitted = expiring(application, window, labels, maxSeries, t -> {
            try {
                series(t, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        out.append("# HELP ").append(OMITTED).append(" Active tokens expiring within ").append(within)
                .append(" that have no expiry series, past the series cap.\n");
        out.append("# TYPE ").append(OMITTED).append(" gauge\n");
        out.append(OMITTED).append(' ').append(String.valueOf(omitted)).append('\n');
    }

    /** How many tokens the store has of each status, at the application's now. */
    public static Store.Counts counts(Application application) {
        return application.store().counts(application.session().now());
    }

    /**
     * Gives {@code sink} the active tokens that expire within {@code window} and whose labels
     * match {@code labels}, at most {@code maxSeries}, the soonest first, as it reads them;
     * returns how many more there are.
     */
    public static long expiring(Application application, Duration window, Map<String, String> labels, int maxSeries,
                                Consumer<Token> sink) {
        return application.tokens().listSoonestExpiring(EnumSet.of(Token.Status.ACTIVE), window, labels, maxSeries, sink);
    }

    private static void series(Token t, Appendable out) throws IOException {
        out.append(EXPIRY).append("{id=\"").append(label(t.id())).append("\",name=\"").append(label(t.name())).append('"');
        Set<String> names = new HashSet<>();
        for (Map.Entry<String, String> entry : t.labels().entrySet()) {
            String name = Labels.metricName(entry.getKey());
            // Keys that share a name are refused when set, but a token stored before that may have them.
            if (names.add(name)) {
                out.append(',').append(name).append("=\"").append(label(entry.getValue())).append('"');
            }
        }
        out.append("} ").append(String.valueOf(t.expiresAt().getEpochSecond())).append('\n');
    }

    /** A label value as the text format escapes it: backslash, double quote and newline. */
    public static String label(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
