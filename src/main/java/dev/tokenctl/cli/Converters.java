package dev.tokenctl.cli;

import dev.tokenctl.core.Durations;
import dev.tokenctl.core.IpFilter;
import dev.tokenctl.core.Labels;
import dev.tokenctl.core.Permission;
import dev.tokenctl.core.Requirement;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.Timestamps;
import dev.tokenctl.core.TokenctlException;
import inet.ipaddr.IPAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters that hand values to core's parsers, so a bad value is a usage error (exit 2). */
final class Converters {
    private Converters() {
    }

    interface Parser<T> {
        T parse(String text);
    }

    static <T> T convert(String text, Parser<T> parser) {
        try {
            return parser.parse(text);
        } catch (TokenctlException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Converters.convert(value, Durations::parse);
        }
    }

    /** {@code --since}: a duration before now, or a moment. */
    record Since(Duration ago, Instant at) {
        Instant from(Instant now) {
            return at != null ? at : now.minus(ago);
        }
    }

    /** {@code --since 24h} or {@code --since 2026-12-07T10:00:00Z}: a date starts with four digits and a dash. */
    static final class SinceConverter implements ITypeConverter<Since> {
        @Override
        public Since convert(String value) {
            if (value.matches("[0-9]{4}-.*")) {
                return new Since(null, Converters.convert(value, Timestamps::parse));
            }
            try {
                return new Since(Durations.parse(value), null);
            } catch (TokenctlException e) {
                throw new TypeConversionException("cannot read '" + Text.quoteSafe(value)
                        + "' as a duration or a timestamp (use a duration such as 24h or 30m, or ISO-8601 such as"
                        + " 2026-12-07T10:00:00Z)");
            }
        }
    }

    /** {@code --after SEQ}: an event's number, as {@code seq} shows it. */
    static final class SeqConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            if (value.matches("[0-9]{1,18}")) {
                return Long.parseLong(value);
            }
            throw new TypeConversionException("'" + Text.quoteSafe(value)
                    + "' is not an event number (use the seq of an event, as -o json or -o wide shows it, e.g. 42)");
        }
    }

    /** {@code --label KEY=VALUE}, as create and update set a label. */
    static final class LabelConverter implements ITypeConverter<Map.Entry<String, String>> {
        @Override
        public Map.Entry<String, String> convert(String value) {
            return Converters.convert(value, text -> Labels.parse(text, false));
        }
    }

    /** {@code --remove-label KEY}. */
    static final class LabelKeyConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return Converters.convert(value, Labels::checkKey);
        }
    }

    /** {@code --label KEY=VALUE} or {@code --label KEY}, as list, revoke and metrics select tokens. */
    static final class LabelSelectorConverter implements ITypeConverter<Map.Entry<String, String>> {
        @Override
        public Map.Entry<String, String> convert(String value) {
            return Converters.convert(value, text -> Labels.parse(text, true));
        }
    }

    /**
     * The {@code --label} values as one map (none: empty).
     *
     * @throws TokenctlException INVALID for a key given twice
     */
    static Map<String, String> labels(List<Map.Entry<String, String>> entries) {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> entry : entries == null ? List.<Map.Entry<String, String>>of() : entries) {
            if (labels.containsKey(entry.getKey())) {
                throw TokenctlException.invalid("label '" + entry.getKey() + "' is given twice (give each key once)");
            }
            labels.put(entry.getKey(), entry.getValue());
        }
        return labels;
    }

    static final class TimestampConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            return Converters.convert(value, Timestamps::parse);
        }
    }

    /** One {@code --permission} or {@code --require} value: names separated by commas, as given and as read. */
    record Permissions(String text, Set<Permission> set) {
        static Set<Permission> union(List<Permissions> values) {
            Set<Permission> all = EnumSet.noneOf(Permission.class);
            for (Permissions value : values) {
                all.addAll(value.set());
            }
            return all;
        }

        /**
         * The {@code --require} values as the one requirement they make together, which may
         * still be refused as a whole (too many names).
         */
        static Requirement requirement(List<Permissions> values) {
            List<String> lists = new ArrayList<>(values.size());
            for (Permissions value : values) {
                lists.add(value.text());
            }
            return Requirement.of(lists);
        }
    }

    /**
     * Parses the value whole, so an empty name (as in {@code A,,B} or {@code A,}) is refused on
     * the command line, where it is a typing slip, and an unknown name is refused with the
     * closest valid names.
     */
    static final class PermissionsConverter implements ITypeConverter<Permissions> {
        @Override
        public Permissions convert(String value) {
            return new Permissions(value, Converters.convert(value, Permission::parseList));
        }
    }

    static final class AddressConverter implements ITypeConverter<IPAddress> {
        @Override
        public IPAddress convert(String value) {
            return Converters.convert(value, IpFilter::parseAddress);
        }
    }

    /** A file path: never empty, never one the file system cannot name (a NUL, say). */
    static final class PathConverter implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            return path(value);
        }
    }

    static Path path(String value) {
        if (value.isEmpty()) {
            throw new TypeConversionException("the path is empty (give a file path)");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new TypeConversionException("'" + shown(value) + "' is not a usable path (give a file path)");
        }
    }

    /**
     * A path as messages show it: control characters escaped and a token string pasted as a
     * path masked, like any other user text.
     */
    static String shown(Object path) {
        return Text.quoteSafe(String.valueOf(path), 200);
    }

    /** The permission names, for completion and help. */
    static final class PermissionNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Permission.values()).map(Enum::name).iterator();
        }
    }
}
