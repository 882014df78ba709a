package dev.tokenctl.core;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A token's labels: {@code KEY=VALUE} pairs that tag it by team or service and select it. A key
 * is 1-63 characters of {@code [a-z0-9._-]}, starting and ending with a letter or digit; a value
 * is at most 253 printable characters; a token has at most 32.
 */
public final class Labels {
    public static final int MAX_LABELS = 32;
    public static final int MAX_VALUE = 253;
    private static final Pattern KEY = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?");

    private Labels() {
    }

    /** An unmodifiable copy sorted by key; empty for null. */
    static Map<String, String> copy(Map<String, String> labels) {
        return labels == null || labels.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    /**
     * Checks a key.
     *
     * @throws TokenctlException INVALID naming the rule
     */
    public static String checkKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw TokenctlException.invalid("label key '" + Text.quoteSafe(key) + "' is not valid (1-63 characters of"
                    + " a-z, 0-9, '.', '_' and '-', starting and ending with a letter or digit)");
        }
        return key;
    }

    /**
     * Reads {@code KEY=VALUE}; with {@code valueOptional}, also {@code KEY} alone (value null),
     * as a selector takes it.
     *
     * @throws TokenctlException INVALID
     */
    public static Map.Entry<String, String> parse(String text, boolean valueOptional) {
        int equals = text.indexOf('=');
        if (equals < 0 && !valueOptional) {
            throw TokenctlException.invalid("label '" + Text.quoteSafe(text) + "' has no value (write KEY=VALUE)");
        }
        String key = checkKey(equals < 0 ? text : text.substring(0, equals));
        String value = equals < 0 ? null : Text.checkPrintable("the value of label '" + key + "'",
                text.substring(equals + 1), 0, MAX_VALUE);
        return new java.util.AbstractMap.SimpleImmutableEntry<>(key, value);
    }

    /**
     * A token's labels after setting {@code set} and removing {@code remove}.
     *
     * @throws TokenctlException INVALID when more than 32 would remain, a key is both set and removed,
     *     or a key set has the {@link #metricName} of another key the token would have
     */
    public static Map<String, String> change(Map<String, String> labels, Map<String, String> set, List<String> remove) {
        TreeMap<String, String> result = new TreeMap<>(labels);
        for (String key : remove) {
            if (set.containsKey(checkKey(key))) {
                throw TokenctlException.invalid("label '" + key + "' is both set and removed (give it once)");
            }
            result.remove(key);
        }
        checkMetricNames(result, set);
        result.putAll(set);
        if (result.size() > MAX_LABELS) {
            throw TokenctlException.invalid("a token may have at most " + MAX_LABELS + " labels, and this would give it "
                    + result.size() + " (give fewer)");
        }
        return Collections.unmodifiableMap(result);
    }

    /**
     * The name of a key's label in metrics: {@code label_} and the key with '.' and '-' written
     * '_', as Prometheus allows.
     */
    public static String metricName(String key) {
        return "label_" + key.replace('.', '_').replace('-', '_');
    }

    /**
     * Refuses a key of {@code set} whose metric name another key of the token has, as {@code a.b}
     * and {@code a-b} would be one label in metrics. Keys kept from before are not checked against
     * each other: a token stored before this rule can still be changed.
     */
    private static void checkMetricNames(Map<String, String> kept, Map<String, String> set) {
        Map<String, String> byName = new HashMap<>();
        for (String key : kept.keySet()) {
            if (!set.containsKey(key)) {
                byName.putIfAbsent(metricName(key), key);
            }
        }
        for (String key : set.keySet()) {
            String other = byName.putIfAbsent(metricName(key), key);
            if (other != null) {
                throw TokenctlException.invalid("label key '" + key + "' would be written as " + metricName(key)
                        + " in metrics, as '" + other + "' " + (set.containsKey(other) ? "is too" : "already is")
                        + " (use one of them)");
            }
        }
    }

    /** Whether {@code labels} has every key of {@code selector}, with its value where one is given. */
    public static boolean matches(Map<String, String> labels, Map<String, String> selector) {
        for (Map.Entry<String, String> wanted : selector.entrySet()) {
            String value = labels.get(wanted.getKey());
            if (value == null || (wanted.getValue() != null && !wanted.getValue().equals(value))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code a=1,b="x,y"}, as people read labels, one way only: a value is quoted when it could
     * read as more than one label or as none (it is empty, or holds a comma, an equals sign,
     * whitespace, a double quote or a backslash) and when it holds an unprintable character,
     * which is escaped as {@link Text#quoteSafe} escapes it. A selector's key without a value
     * stands alone.
     */
    public static String format(Map<String, String> labels) {
        StringBuilder out = new StringBuilder();
        labels.forEach((k, v) -> out.append(out.length() == 0 ? "" : ",").append(k)
                .append(v == null ? "" : "=" + (plain(v) ? v : quotedSafe(v))));
        return out.toString();
    }

    private static boolean plain(String value) {
        return !value.isEmpty() && value.codePoints().noneMatch(c -> c == ',' || c == '=' || c == '"' || c == '\\'
                || Character.isWhitespace(c) || Character.isSpaceChar(c) || Text.isUnprintable(c));
    }

    private static String quotedSafe(String value) {
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (Text.isUnprintable(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }

    /** {@code a="1",b="x,y"}, as the audit records labels: each value quoted, so none can pass for another label. */
    public static String quoted(Map<String, String> labels) {
        StringBuilder out = new StringBuilder();
        labels.forEach((k, v) -> out.append(out.length() == 0 ? "" : ",").append(k).append('=').append(Text.quoted(v)));
        return out.toString();
    }

    /** The stored form: one {@code KEY=VALUE} a line (values hold no line break); null for none. */
    public static String encode(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        labels.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString();
    }

    /** Reads the stored form back. */
    public static Map<String, String> decode(String stored) {
        if (stored == null || stored.isEmpty()) {
            return Map.of();
        }
        TreeMap<String, String> labels = new TreeMap<>();
        for (String line : stored.split("\n")) {
            int equals = line.indexOf('=');
            labels.put(line.substring(0, equals), line.substring(equals + 1));
        }
        return Collections.unmodifiableMap(labels);
    }
}
