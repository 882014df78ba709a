package dev.tokenctl.http;

import dev.tokenctl.core.Verification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The request metrics of {@code /metrics}, their names and labels defined here alone: a counter
 * of requests by endpoint, decision and reason, and a histogram of their durations by endpoint.
 * The token gauges come from {@link dev.tokenctl.app.TokenMetrics}.
 */
final class Metrics {
    static final String REQUESTS = "tokenctl_requests_total";
    static final String DURATION = "tokenctl_request_duration_seconds";
    static final String DROPPED = "tokenctl_records_dropped_total";
    /** Upper bounds of the histogram's buckets, in seconds: from 100 microseconds to a second. */
    private static final double[] BOUNDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};

    private record Key(String endpoint, String decision, String reason) {
    }

    private static final class Histogram {
        final LongAdder[] buckets = new LongAdder[BOUNDS.length];
        final LongAdder count = new LongAdder();
        final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void observe(double seconds) {
            for (int i = 0; i < BOUNDS.length; i++) {
                if (seconds <= BOUNDS[i]) {
                    buckets[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(seconds);
        }
    }

    private final Map<Key, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> durations = new ConcurrentHashMap<>();

    /** Every series there can be, at 0 from the start, so that rate() sees each one's first requests. */
    Metrics() {
        for (Key key : series()) {
            requests.put(key, new LongAdder());
        }
        for (Route route : Route.values()) {
            durations.put(route.label, new Histogram());
        }
    }

    private static List<Key> series() {
        List<Key> keys = new ArrayList<>();
        for (Route check : List.of(Route.AUTHZ, Route.INTROSPECT)) {
            for (Verification.Reason reason : Verification.Reason.values()) {
                keys.add(new Key(check.label, (reason.equals(Verification.Reason.VALID) ? Decision.ALLOW : Decision.INVALID_TOKEN).label,
                        reason.label()));
            }
            keys.add(new Key(check.label, Decision.NO_TOKEN.label, "no-token"));
            keys.add(new Key(check.label, Decision.UNAVAILABLE.label, "store-error"));
        }
        keys.add(new Key(Route.INTROSPECT.label, Decision.INVALID_TOKEN.label, "method-not-allowed"));
        keys.add(new Key(Route.INTROSPECT.label, Decision.INVALID_TOKEN.label, "caller-refused"));
        keys.add(new Key(Route.HEALTHZ.label, Observed.NONE, "ok"));
        keys.add(new Key(Route.HEALTHZ.label, Observed.NONE, "store-error"));
        for (String reason : List.of("ok", "store-error", "busy")) {
            keys.add(new Key(Route.METRICS.label, Observed.NONE, reason));
        }
        for (String reason : List.of("not-found", "bad-request", "uri-too-long", "headers-too-large")) {
            keys.add(new Key(Route.OTHER.label, Observed.NONE, reason));
        }
        for (Route route : Route.values()) {
            keys.add(new Key(route.label, Observed.NONE, "too-large"));
            keys.add(new Key(route.label, Observed.ERROR, "internal-error"));
        }
        return keys;
    }

    void record(String endpoint, String decision, String reason, long nanos) {
        requests.computeIfAbsent(new Key(endpoint, decision, reason), k -> new LongAdder()).increment();
        durations.computeIfAbsent(endpoint, e -> new Histogram()).observe(nanos / 1e9);
    }

    /** The request metrics in Prometheus's text format, and {@code dropped} records of the writer. */
    void write(StringBuilder out, long dropped) {
        out.append("# HELP ").append(DROPPED).append(" Last uses and denied checks not recorded: the writer's queue was full.\n");
        out.append("# TYPE ").append(DROPPED).append(" counter\n");
        out.append(DROPPED).append(' ').append(dropped).append('\n');
        out.append("# HELP ").append(REQUESTS).append(" Requests answered, by endpoint, decision and reason.\n");
        out.append("# TYPE ").append(REQUESTS).append(" counter\n");
        requests.entrySet().stream().sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(Key::toString)))
                .forEach(e -> out.append(REQUESTS).append("{endpoint=\"").append(e.getKey().endpoint())
                        .append("\",decision=\"").append(e.getKey().decision()).append("\",reason=\"")
                        .append(e.getKey().reason()).append("\"} ").append(e.getValue().sum()).append('\n'));
        out.append("# HELP ").append(DURATION).append(" Time to answer a check, by endpoint.\n");
        out.append("# TYPE ").append(DURATION).append(" histogram\n");
        durations.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Histogram h = e.getValue();
            long cumulative = 0;
            for (int i = 0; i < BOUNDS.length; i++) {
                cumulative += h.buckets[i].sum();
                out.append(DURATION).append("_bucket{endpoint=\"").append(e.getKey()).append("\",le=\"")
                        .append(le(BOUNDS[i])).append("\"} ").append(cumulative).append('\n');
            }
            out.append(DURATION).append("_bucket{endpoint=\"").append(e.getKey()).append("\",le=\"+Inf\"} ")
                    .append(h.count.sum()).append('\n');
            out.append(DURATION).append("_sum{endpoint=\"").append(e.getKey()).append("\"} ").append(h.sum.sum()).append('\n');
            out.append(DURATION).append("_count{endpoint=\"").append(e.getKey()).append("\"} ").append(h.count.sum()).append('\n');
        });
    }

    /** A bucket's bound as Prometheus writes it: the shortest decimal, with ".0" when whole ("0.0001", "1.0"). */
    static String le(double bound) {
        String text = java.math.BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
        return text.contains(".") ? text : text + ".0";
    }
}
