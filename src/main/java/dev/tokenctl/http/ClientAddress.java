package dev.tokenctl.http;

import dev.tokenctl.core.IpFilter;
import dev.tokenctl.core.TokenctlException;
import inet.ipaddr.IPAddress;
import java.util.List;

/**
 * The address of the client a request is for: the TCP peer, unless the peer is a trusted proxy;
 * then the rightmost address of X-Forwarded-For that is not itself a trusted proxy, else
 * X-Real-IP, else the peer. A client can add addresses to X-Forwarded-For but not remove the
 * ones its proxies appended, so only the right end is believed.
 */
final class ClientAddress {
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

    /** The client's address as the contract reads it; null when a forwarded hop is not an address. */
    IPAddress of(IPAddress peer, List<String> forwardedFor, String realIp) {
        if (trusted == null || !trusted.evaluate(peer).allowed()) {
            return peer;
        }
        if (forwardedFor != null && !forwardedFor.isEmpty()) {
            // Every X-Forwarded-For header, in order, read as one list.
            String all = String.join(",", forwardedFor);
            String[] hops = all.split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                IPAddress hop = parse(hops[i]);
                if (hop == null) {
                    // A hop that is not an address: the client is unknown, and a token under an
                    // IP filter is denied (ip-required), never checked against the proxy's address.
                    return null;
                }
                if (!trusted.evaluate(hop).allowed()) {
                    return hop;
                }
            }
        }
        IPAddress real = realIp == null ? null : parse(realIp);
        return real != null ? real : peer;
    }

    static IPAddress parse(String text) {
        try {
            return IpFilter.parseAddress(text.strip());
        } catch (TokenctlException e) {
            return null;
        }
    }
}
