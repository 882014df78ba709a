package dev.tokenctl.core;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A named list of {@code allow SPEC} / {@code deny SPEC} rules, one a line, where SPEC is
 * {@code all}, an IPv4 or IPv6 address or a CIDR range of either family. The first rule that
 * matches decides; when none does, the address is denied. {@code text} is the rule text as
 * stored: the user's lines, comments and blank lines kept so line numbers stay meaningful, with
 * each rule written in canonical form.
 */
public record IpFilter(String name, String text, List<Rule> rules, Instant createdAt, Instant updatedAt) {

    /** What the policy's settings read as "no filter"; no filter may have this name. */
    public static final String NONE = "none";

    /** Longest rule text accepted, in characters. */
    public static final int MAX_TEXT = 1_000_000;

    private static final Pattern IPV4 = Pattern.compile(
            "(?:0|[1-9][0-9]{0,2})(?:\\.(?:0|[1-9][0-9]{0,2})){3}(?:/[0-9]{1,2})?");
    private static final Pattern IPV6 = Pattern.compile(
            "[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(?:(?<=:)(?:0|[1-9][0-9]{0,2})(?:\\.(?:0|[1-9][0-9]{0,2})){3})?(?:/[0-9]{1,3})?");

    /** One rule; {@code range} is null for {@code all}. */
    public record Rule(int line, boolean allow, IPAddress range) {
        public boolean matches(IPAddress address) {
            return range == null || (range.getIPVersion() == address.getIPVersion() && range.contains(address));
        }

        /** The canonical text of the rule, e.g. {@code allow 10.0.0.0/8}. */
        public String text() {
            return (allow ? "allow " : "deny ") + (range == null ? "all" : format(range));
        }
    }

    /** The outcome of {@link #evaluate}: the deciding rule, or null when no rule matched. */
    public record Decision(boolean allowed, Rule rule) {
    }

    /** The parsed rule text together with what parsing changed, for the caller to report. */
    public record Parsed(String text, List<Rule> rules, List<String> notices) {
    }

    public Decision evaluate(IPAddress address) {
        IPAddress candidate = unmap(address);
        for (Rule rule : rules) {
            if (rule.matches(candidate)) {
                return new Decision(rule.allow(), rule);
            }
        }
        return new Decision(false, null);
    }

    /** Checks a filter name: 1-100 characters of letters, digits, '.', '_' and '-'. */
    public static String checkName(String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw TokenctlException.invalid("invalid filter name '" + Text.quoteSafe(name)
                    + "' (use 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit)");
        }
        if (name.equalsIgnoreCase(NONE)) {
            throw TokenctlException.invalid("the filter name '" + name + "' is reserved: '--enforce-ip-filter none'"
                    + " means no filter (choose another name)");
        }
        return name;
    }

    /**
     * Parses rule text strictly and without DNS.
     *
     * @throws TokenctlException INVALID naming the line number and the offending text
     */
    public static Parsed parse(String text) {
        if (text.length() > MAX_TEXT) {
            throw TokenctlException.invalid("rule text is longer than " + MAX_TEXT + " characters (split the filter)");
        }
        List<Rule> rules = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        StringBuilder canonical = new StringBuilder();
        String[] lines = text.split("\r?\n", -1);
        int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
        for (int i = 0; i < count; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                canonical.append(line).append('\n');
                continue;
            }
            Rule rule = parseRule(i + 1, trimmed, notices);
            rules.add(rule);
            canonical.append(rule.text()).append('\n');
        }
        if (rules.isEmpty()) {
            throw TokenctlException.invalid("no rules given (write one rule a line: 'allow SPEC' or 'deny SPEC')");
        }
        return new Parsed(canonical.toString(), List.copyOf(rules), List.copyOf(notices));
    }

    /**
     * Parses one address (no range) strictly and without DNS; an IPv4-mapped IPv6 address is
     * kept as given and matched as IPv4.
     *
     * @throws TokenctlException INVALID naming the input
     */
    public static IPAddress parseAddress(String text) {
        IPAddress address = parseSpec(text);
        if (address == null || address.isPrefixed()) {
            throw TokenctlException.invalid("invalid IP address '" + Text.quoteSafe(text)
                    + "' (give one IPv4 or IPv6 address, e.g. 192.0.2.10 or 2001:db8::1)");
        }
        return address;
    }

    private static Rule parseRule(int lineNo, String line, List<String> notices) {
        String[] words = line.split("[ \\t]+");
        String where = "line " + lineNo + ": '" + Text.quoteSafe(line) + "'";
        if (words.length != 2 || !(words[0].equals("allow") || words[0].equals("deny"))) {
            throw TokenctlException.invalid("invalid rule on " + where
                    + " (write 'allow SPEC' or 'deny SPEC', SPEC being all, an address or a CIDR range)");
        }
        boolean allow = words[0].equals("allow");
        if (words[1].equals("all")) {
            return new Rule(lineNo, allow, null);
        }
        IPAddress address = parseSpec(words[1]);
        if (address == null) {
            throw TokenctlException.invalid("invalid address or range on " + where
                    + " (use all, an IPv4 or IPv6 address, or a CIDR range such as 10.0.0.0/8 or fd00::/8; no hostnames)");
        }
        if (address.isIPv6() && address.toIPv6().isIPv4Mapped()
                && (!address.isPrefixed() || address.getNetworkPrefixLength() >= 96)) {
            // Mapped clients are matched as IPv4, so a mapped range is stored as the IPv4 range it means.
            int prefix = address.isPrefixed() ? address.getNetworkPrefixLength() - 96 : 32;
            IPAddress v4 = address.toIPv6().getEmbeddedIPv4Address().setPrefixLength(prefix, false);
            notices.add("line " + lineNo + ": " + words[1] + " is IPv4-mapped; stored as " + format(v4.toPrefixBlock()));
            address = v4;
        }
        if (address.isPrefixed() && !address.isPrefixBlock()) {
            IPAddress network = address.toPrefixBlock();
            notices.add("line " + lineNo + ": " + words[1] + " has host bits set; stored as " + format(network));
            address = network;
        } else if (!address.isPrefixed()) {
            address = address.toPrefixBlock(address.getBitCount());
        }
        return new Rule(lineNo, allow, address);
    }

    private static IPAddress parseSpec(String spec) {
        if (!IPV4.matcher(spec).matches() && !IPV6.matcher(spec).matches()) {
            return null;
        }
        try {
            IPAddress address = new IPAddressString(spec).toAddress();
            return address.isMultiple() && !address.isPrefixed() ? null : address;
        } catch (AddressStringException e) {
            return null;
        }
    }

    private static IPAddress unmap(IPAddress address) {
        if (address.isIPv6() && address.toIPv6().isIPv4Mapped()) {
            return address.toIPv6().getEmbeddedIPv4Address();
        }
        return address;
    }

    /** An address or range as shown: compressed, IPv4-mapped addresses in mixed notation. */
    public static String format(IPAddress range) {
        IPAddress lower = range.getLower().withoutPrefixLength();
        Integer prefix = range.getNetworkPrefixLength();
        String base = lower.isIPv6() && lower.toIPv6().isIPv4Mapped() ? lower.toIPv6().toMixedString()
                : lower.toCompressedString();
        return prefix == null || prefix == range.getBitCount() ? base : base + "/" + prefix;
    }
}
