package dev.tokenctl.core;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Named IP filters: adding, changing (which takes effect at once for every token and the policy
 * that use the filter), removing (refused while anything uses it) and testing an address.
 */
public final class IpFilterService {
    private final Session session;
    private final Store store;

    public IpFilterService(Session session) {
        this.session = session;
        this.store = session.store();
    }

    /** A filter as written, with what parsing changed (ranges with host bits set). */
    public record Saved(IpFilter filter, List<String> notices) {
    }

    /** What uses a filter: tokens that are not revoked, and whether the policy enforces it. */
    public record Users(List<String> tokens, boolean policy) {
        public boolean any() {
            return policy || !tokens.isEmpty();
        }
    }

    /** @throws TokenctlException INVALID (name or rules) or CONFLICT (name in use) */
    public Saved add(String name, String rules) {
        IpFilter.checkName(name);
        IpFilter.Parsed parsed = IpFilter.parse(rules);
        return store.transaction(() -> {
            if (store.ipFilter(name).isPresent()) {
                throw Refusals.Unique.IP_FILTER_NAME.taken(name);
            }
            IpFilter filter = new IpFilter(name, parsed.text(), parsed.rules(), session.now(), session.now());
            store.insertIpFilter(filter);
            session.audit("ipfilter-add", null, "name=" + name + " rules: " + summary(parsed.rules()));
            return new Saved(filter, parsed.notices());
        });
    }

    /** @throws TokenctlException INVALID or NOT_FOUND */
    public Saved update(String name, String rules) {
        IpFilter.Parsed parsed = IpFilter.parse(rules);
        return store.transaction(() -> {
            IpFilter old = get(name);
            IpFilter filter = new IpFilter(name, parsed.text(), parsed.rules(), old.createdAt(), session.now());
            store.updateIpFilter(filter);
            session.audit("ipfilter-update", null, "name=" + name + " rules: " + summary(old.rules()) + " -> "
                    + summary(parsed.rules()));
            return new Saved(filter, parsed.notices());
        });
    }

    /** @throws TokenctlException NOT_FOUND, or CONFLICT naming the users while the filter is in use */
    public void remove(String name) {
        store.transaction(() -> {
            IpFilter old = get(name);
            Users users = users(name);
            if (users.any()) {
                List<String> named = new ArrayList<>();
                if (users.policy()) {
                    named.add("the security policy");
                }
                users.tokens().stream().limit(10).map(t -> "token '" + t + "'").forEach(named::add);
                if (users.tokens().size() > 10) {
                    named.add((users.tokens().size() - 10) + " more token(s)");
                }
                throw TokenctlException.conflict("IP filter '" + name + "' is in use by " + String.join(", ", named)
                        + " (revoke or rotate those tokens, or change the policy, first)");
            }
            store.deleteIpFilter(name);
            session.audit("ipfilter-remove", null, "name=" + name + " rules: " + summary(old.rules()));
            return null;
        });
    }

    /** @throws TokenctlException NOT_FOUND */
    public IpFilter get(String name) {
        return store.ipFilter(name).orElseThrow(() -> Refusals.noIpFilter(name, "run 'tokenctl ipfilter list'"));
    }

    public List<IpFilter> list() {
        return store.ipFilters();
    }

    public Users users(String name) {
        return new Users(store.activeTokensUsingFilter(name, session.now()), name.equals(store.policy().enforcedIpFilter()));
    }

    /** @throws TokenctlException NOT_FOUND */
    public IpFilter.Decision test(String name, IPAddress address) {
        return get(name).evaluate(address);
    }

    private static String summary(List<IpFilter.Rule> rules) {
        return String.join(", ", rules.stream().map(IpFilter.Rule::text).toList());
    }
}
