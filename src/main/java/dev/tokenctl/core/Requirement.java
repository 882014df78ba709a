package dev.tokenctl.core;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The permissions a check requires, read from comma-separated lists of names as {@code token
 * verify --require} and the HTTP check's {@code require} parameters and
 * {@code X-Tokenctl-Require} headers give them.
 *
 * <p>One rule for every face: a requirement that names anything that is not a permission is
 * refused before any token is checked, since no token can hold it. The command line answers
 * it with a usage error (exit 2), the HTTP check with 403 {@code insufficient_scope}, without
 * looking the token up.
 *
 * <p>Reading one costs little whatever a client sends, as it is read once per HTTP request:
 * names are looked up without exceptions or suggestions, at most {@link #MAX_NAMES} names are
 * read (a requirement naming more is refused whole), and at most {@link #KEPT_UNKNOWN} unknown
 * names are kept, each cut short for messages.
 *
 * @param permissions the permissions named, when the requirement is not refused
 * @param unknown what made it refused, each safe to show on one line: names that are not
 *     permissions, or {@link #TOO_MANY}; empty when it is not refused
 */
public record Requirement(Set<Permission> permissions, List<String> unknown) {
    /** The most names a requirement may give; no permission needs naming twice. */
    public static final int MAX_NAMES = 64;
    /** The most unknown names kept for messages. */
    public static final int KEPT_UNKNOWN = 3;
    /** The unknown entry of a requirement that names more than {@link #MAX_NAMES} names. */
    public static final String TOO_MANY = "too many names";

    public Requirement {
        permissions = Set.copyOf(permissions);
        unknown = List.copyOf(unknown);
    }

    /**
     * The requirement of every name in {@code lists}, each a comma-separated list; names match
     * case-insensitively and blank entries between commas are ignored.
     */
    public static Requirement of(List<String> lists) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        List<String> unknown = new ArrayList<>(0);
        int names = 0;
        for (String list : lists) {
            int start = 0;
            for (int comma = list.indexOf(','); ; comma = list.indexOf(',', start)) {
                String name = list.substring(start, comma < 0 ? list.length() : comma).strip();
                if (!name.isEmpty()) {
                    if (++names > MAX_NAMES) {
                        return new Requirement(Set.of(), List.of(TOO_MANY));
                    }
                    Permission p = Permission.find(name);
                    if (p != null) {
                        permissions.add(p);
                    } else if (unknown.size() < KEPT_UNKNOWN) {
                        unknown.add(Text.quoteSafe(name, 100));
                    }
                }
                if (comma < 0) {
                    break;
                }
                start = comma + 1;
            }
        }
        return new Requirement(permissions, unknown);
    }

    /** Whether it names anything that is not a permission, or too many names: no token meets it. */
    public boolean refused() {
        return !unknown.isEmpty();
    }

    /**
     * This requirement, when it is not refused.
     *
     * @throws TokenctlException INVALID naming the first unknown name and the closest valid
     *     names, or the limit on names
     */
    public Requirement check() {
        if (!refused()) {
            return this;
        }
        if (unknown.equals(List.of(TOO_MANY))) {
            throw TokenctlException.invalid("more than " + MAX_NAMES + " permission names (name each permission once)");
        }
        throw Permission.unknown(unknown.get(0));
    }
}
