package dev.tokenctl.cli;

import dev.tokenctl.core.Durations;
import dev.tokenctl.core.IpFilter;
import dev.tokenctl.core.Permission;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.Timestamps;
import dev.tokenctl.core.TokenctlException;
import inet.ipaddr.IPAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
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

    static final class TimestampConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            return Converters.convert(value, Timestamps::parse);
        }
    }

    /** One {@code --permission} or {@code --require} value: names separated by commas. */
    record Permissions(Set<Permission> set) {
        static Set<Permission> union(List<Permissions> values) {
            Set<Permission> all = EnumSet.noneOf(Permission.class);
            values.forEach(v -> all.addAll(v.set()));
            return all;
        }
    }

    /** Parses the value whole, so an empty name (as in {@code A,,B} or {@code A,}) is refused. */
    static final class PermissionsConverter implements ITypeConverter<Permissions> {
        @Override
        public Permissions convert(String value) {
            return new Permissions(Converters.convert(value, Permission::parseList));
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
