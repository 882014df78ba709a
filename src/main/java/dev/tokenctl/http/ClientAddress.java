package dev.tokenctl.http;

import dev.tokenctl.core.IpFilter;
import dev.tokenctl.core.TokenctlException;
import inet.ipaddr.IPAddress;
import java.util.List;

/**
 * The address of the client a request is for: the TCP peer, unless the peer is a trusted proxy.
 * Then, when there is an X-Forwarded-For, the rightmost of its addresses that is not itself a
 * trusted proxy, or its leftmost when every one is (as nginx's {@code real_ip_recursive} reads
 * it); when there is none, X-Real-IP; when neither, the peer. A client can add addresses to
 * X-Forwarded-For but not remove the ones its proxies appended, so only the right end is
 * believed, and a client-sent X-Real-IP never overrides what the proxies appended.
 *
 * <p>Whatever cannot be read leaves the client unknown (null), so that a token under an IP
 * filter is denied (ip-required) rather than checked against the proxy's own address: a hop
 * or an X-Real-IP that is not an address, and a chain longer than {@link #MAX_HOPS} hops whose
 * rightmost ones are all trusted proxies. Only those rightmost hops are read.
 */
final class ClientAddress {
    /** The most X-Forwarded-For hops read, from the right: more proxies than any real chain. */
    static final int MAX_HOPS = 16;

    private final IpFilter trusted;

    /** {@code specs}: addresses or CIDR ranges, in the syntax of IP filter rules. */
    ClientAddress(List<String> specs) {
        if (specs.isEmpty()) {
            trusted = null;
            return;
        }
        StringBuilder rules = new StringBuilder();
        for (String spec : specs) {
            if (spec.isBlank() || spec.contains("\n")) {
                throw TokenctlException.invalid("--trusted-proxy '" + dev.tokenctl.core.Text.quoteSafe(spec)
                        + "' is not an address or CIDR range");
            }
            rules.append("allow ").append(spec.strip()).append('\n');
        }
        try {
            IpFilter.Parsed parsed = IpFilter.parse(rules.toString());
            trusted = new IpFilter("trusted-proxies", parsed.text(), parsed.rules(), null, null);
        } catch (TokenctlException e) {
            throw TokenctlException.invalid("--trusted-proxy: " + e.getMessage());
        }
    }

    /**
     * The client's address as the contract reads it; null when it is unknown. The X-Forwarded-For
     * headers are read as one list, in order; none at all is an empty list or null.
     */
    IPAddress of(IPAddress peer, List<String> forwardedFor, String realIp) {
        if (trusted == null || !trusted.evaluate(peer).allowed()) {
            return peer;
        }
        if (forwardedFor == null || forwardedFor.isEmpty()) {
            return realIp == null ? peer : parse(realIp);
        }
        IPAddress hop = null;
        int read = 0;
        // From the right, cutting one hop at a time: a long header is never split whole.
        for (int header = forwardedFor.size() - 1; header >= 0; header--) {
            String hops = forwardedFor.get(header);
            int end = hops.length();
            for (int comma = hops.lastIndexOf(','); ; comma = hops.lastIndexOf(',', end - 1)) {
                if (read++ == MAX_HOPS) {
                    return null;
                }
                hop = parse(hops.substring(comma + 1, end));
                if (hop == null || !trusted.evaluate(hop).allowed()) {
                    return hop;
                }
                if (comma < 0) {
                    break;
                }
                end = comma;
            }
        }
        return hop;
    }

    static IPAddress parse(String text) {
        try {
            return IpFilter.parseAddress(text.strip());
        } catch (TokenctlException e) {
            return null;
        }
    }
}
