package dev.tokenctl.core;

import java.time.Duration;
import java.util.Locale;

/**
 * The settings of the security policy, each defined once: its name (as {@code policy show},
 * {@code policy set --NAME} and the audit spell it), its key in a policy file, what values it
 * takes and what it does. Every face reads the settings from here, so adding one is an entry
 * here and a component of {@link Policy}.
 */
public enum PolicySetting {
    TOKENS_ENABLED("tokens-enabled", "tokens-enabled", Type.BOOLEAN, "BOOL",
            "true or false; false revokes every active token and blocks new ones."),
    MAX_EXPIRY("max-expiry", "max-expiry", Type.DURATION, "DURATION|none",
            "Longest lifetime a token may be created or rotated with; lowering it cuts back longer-lived tokens."),
    DEFAULT_EXPIRY("default-expiry", "default-expiry", Type.DURATION, "DURATION|none",
            "Lifetime used when create gives no expiry option; at most max-expiry."),
    ENFORCED_IP_FILTER("enforced-ip-filter", "enforce-ip-filter", Type.FILTER, "NAME|none",
            "IP filter applied to every token, in addition to its own, or none."),
    ALLOW_PERMISSION_UPDATES("allow-permission-updates", "allow-permission-updates", Type.BOOLEAN, "BOOL",
            "true or false: whether 'token update' may change a token's permissions."),
    MAX_ROTATION_GRACE("max-rotation-grace", "max-rotation-grace", Type.DURATION, "DURATION|none",
            "Longest time 'token rotate --grace' may keep the old token working; none forbids grace; lowering it ends longer graces.");

    /** The kinds of value a setting takes. */
    public enum Type { BOOLEAN, DURATION, FILTER }

    /** How an unset duration or filter is written. */
    public static final String NONE = IpFilter.NONE;

    private final String label;
    private final String flag;
    private final Type type;
    private final String valueLabel;
    private final String description;

    PolicySetting(String label, String flag, Type type, String valueLabel, String description) {
        this.label = label;
        this.flag = flag;
        this.type = type;
        this.valueLabel = valueLabel;
        this.description = description;
    }

    /** The name people read, in {@code policy show} and the audit: {@code max-expiry}. */
    public String label() {
        return label;
    }

    /** The option of {@code policy set}: {@code --max-expiry}. */
    public String flag() {
        return "--" + flag;
    }

    /** The key in a policy file and in json/yaml output: {@code max_expiry}. */
    public String key() {
        return label.replace('-', '_');
    }

    public Type type() {
        return type;
    }

    /** What the value looks like, for help: {@code DURATION|none}. */
    public String valueLabel() {
        return valueLabel;
    }

    public String description() {
        return description;
    }

    /** This setting's value in {@code policy}: a Boolean, a Duration or a filter name; null for none. */
    public Object get(Policy policy) {
        return switch (this) {
            case TOKENS_ENABLED -> policy.tokensEnabled();
            case MAX_EXPIRY -> policy.maxExpiry();
            case DEFAULT_EXPIRY -> policy.defaultExpiry();
            case ENFORCED_IP_FILTER -> policy.enforcedIpFilter();
            case ALLOW_PERMISSION_UPDATES -> policy.allowPermissionUpdates();
            case MAX_ROTATION_GRACE -> policy.maxRotationGrace();
        };
    }

    /**
     * {@code policy} with this setting changed to {@code value}, as {@link #parse} gives it. The
     * settings are declared in the order of {@link Policy}'s components.
     */
    public Policy with(Policy p, Object value) {
        Object[] values = new Object[values().length];
        for (PolicySetting setting : values()) {
            values[setting.ordinal()] = setting == this ? value : setting.get(p);
        }
        return new Policy((Boolean) values[0], (Duration) values[1], (Duration) values[2], (String) values[3],
                (Boolean) values[4], (Duration) values[5]);
    }

    /**
     * Reads a value as typed: {@code true} or {@code false}; a duration or {@code none}; a
     * filter name or {@code none}.
     *
     * @throws TokenctlException INVALID naming what is expected
     */
    public Object parse(String text) {
        switch (type) {
            case BOOLEAN:
                if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                    return Boolean.valueOf(text.toLowerCase(Locale.ROOT));
                }
                throw TokenctlException.invalid("'" + Text.quoteSafe(text) + "' is not true or false");
            case DURATION:
                return text.equals(NONE) ? null : Durations.parse(text, durationUse());
            default:
                return text.equals(NONE) ? null : text;
        }
    }

    /** What a duration of this setting may be, and what {@code none} means for it. */
    private Durations.Use durationUse() {
        return switch (this) {
            case MAX_EXPIRY -> new Durations.Use("30d, 90d, 1d12h", "none for no maximum",
                    "use none for no maximum");
            case DEFAULT_EXPIRY -> new Durations.Use("7d, 30d, 12h", "none for no default",
                    "use none for no default, and each token its own expiry");
            default -> new Durations.Use("30m, 1h, 1d", "none to allow no grace", "use " + Durations.format(Durations.MAX)
                    + " or less");
        };
    }

    /** The value as {@code policy show} prints it and {@link #parse} reads it back. */
    public String format(Object value) {
        if (value == null) {
            return NONE;
        }
        return value instanceof Duration d ? Durations.format(d) : value.toString();
    }

    /** The value in json/yaml output: a boolean, or a string or null. */
    public Object view(Object value) {
        return type == Type.BOOLEAN || value == null ? value : format(value);
    }
}
