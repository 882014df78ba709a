package dev.tokenctl.core;

import inet.ipaddr.IPAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks token strings against the store and the policy, for one client address and one set of
 * required permissions: once for {@code token verify}, many times for {@code --batch}, once per
 * request for the HTTP check.
 *
 * <p>Malformed strings and unknown ids are answered without recording anything. A valid use is
 * recorded as the token's last use at most once a minute; a denied verify of an existing token
 * is recorded as an audit event; both go to a {@link Records}, which writes them (see
 * {@link StoreRecords}) or hands them to a writer off the caller's path. The policy is read with
 * the first lookup of tokens ({@link Store#lookup}), and the filters when a token needs them;
 * both again once they are more than a second old by the session's clock (or the clock went
 * back), so a long batch follows policy changes; a verifier made per request reads them fresh
 * every time.
 */
public final class Verifier implements AutoCloseable {
    /** Last use and denied-verify audit events are written at most this often per token. */
    static final Duration RECORD_INTERVAL = Duration.ofMinutes(1);
    /** The policy and filters a verifier read are read again once they are older than this. */
    static final Duration REFRESH_INTERVAL = Duration.ofSeconds(1);

    /** Where a verifier's records go. */
    public interface Records {
        /** {@code tokenId} was used validly at {@code at}, from {@code address} (null when unknown). */
        void used(String tokenId, Instant at, String address);

        /** An existing token was denied; {@code details} as the audit shows them. */
        void denied(String tokenId, String details);

        /** Writes what is pending. */
        void flush();
    }

    private final Session session;
    private final Store store;
    private final Client client;
    private final Set<Permission> required;
    private final Records records;
    private final Map<String, Optional<IpFilter>> filters = new HashMap<>();
    private Policy policy;
    private Instant readAt;
    /** Ids to look up with the next lookup, for a later check ({@link #expect}). */
    private final Set<String> ahead = new HashSet<>();
    /** What was found for them, null for nothing, until their first check takes it. */
    private final Map<String, Store.Credential> kept = new HashMap<>();

    /** The client that presents a token: its address, and the address as records show it (both null when unknown). */
    private record Client(IPAddress address, String text) {
        Client(IPAddress address) {
            this(address, address == null ? null : IpFilter.format(address));
        }
    }

    Verifier(Session session, IPAddress address, Set<Permission> required, Records records) {
        this.session = session;
        this.store = session.store();
        this.client = new Client(address);
        this.required = Set.copyOf(required);
        this.records = records;
    }

    public Verification verify(String tokenString) {
        return verify(List.of(tokenString)).get(0);
    }

    /** Checks a token string presented by a client at {@code address} (null when unknown), not this verifier's. */
    public Verification verify(String tokenString, IPAddress address) {
        return verify(List.of(tokenString), new Client(address)).get(0);
    }

    /**
     * Looks {@code tokenString} up with the next lookup, and keeps what is found for its next
     * check, which then asks the store nothing: a request that checks a caller and then the
     * token it presents makes one round trip. For a verifier made per request, whose kept
     * answer then comes from a query begun during the request; a string that is no token is
     * ignored.
     */
    public void expect(String tokenString) {
        try {
            ahead.add(TokenFormat.parse(tokenString).id());
        } catch (TokenFormat.FormatException e) {
            // Its check fails without a lookup.
        }
    }

    /** Checks several token strings with one store lookup; the answers are in the same order. */
    public List<Verification> verify(List<String> tokenStrings) {
        return verify(tokenStrings, client);
    }

    private List<Verification> verify(List<String> tokenStrings, Client from) {
        List<Object> parsed = new ArrayList<>(tokenStrings.size());
        List<String> ids = new ArrayList<>(tokenStrings.size());
        for (String tokenString : tokenStrings) {
            try {
                TokenFormat.Parsed p = TokenFormat.parse(tokenString);
                parsed.add(p);
                ids.add(p.id());
            } catch (TokenFormat.FormatException e) {
                parsed.add(new Verification(e.problem() == TokenFormat.Problem.MALFORMED
                        ? Verification.Reason.MALFORMED : Verification.Reason.BAD_CHECKSUM, null));
            }
        }
        Map<String, Store.Credential> credentials = new HashMap<>();
        Set<String> asked = new LinkedHashSet<>();
        for (String id : ids) {
            if (kept.containsKey(id)) {
                credentials.put(id, kept.remove(id));
            } else if (!credentials.containsKey(id)) {
                asked.add(id);
            }
        }
        if (!asked.isEmpty()) {
            asked.addAll(ahead);
            Map<String, Store.Credential> found = credentials(List.copyOf(asked));
            credentials.putAll(found);
            for (String id : ahead) {
                kept.put(id, found.get(id));
            }
            ahead.clear();
        }
        List<Verification> answers = new ArrayList<>(tokenStrings.size());
        for (Object item : parsed) {
            answers.add(item instanceof TokenFormat.Parsed p ? verify(p, credentials.get(p.id()), from) : (Verification) item);
        }
        return answers;
    }

    /**
     * The credentials of {@code ids}, and the policy with them when what was read is stale: by
     * the session's clock, more than a second old, or read later than now (the clock went back,
     * and they are read again rather than kept until it catches up).
     */
    private Map<String, Store.Credential> credentials(List<String> ids) {
        Instant now = session.now();
        if (policy != null && !now.isAfter(readAt.plus(REFRESH_INTERVAL)) && !now.isBefore(readAt)) {
            return store.credentials(ids);
        }
        Store.Lookup found = store.lookup(ids);
        policy = found.policy();
        filters.clear();
        readAt = now;
        return found.credentials();
    }

    private Verification verify(TokenFormat.Parsed parsed, Store.Credential credential, Client from) {
        if (credential == null) {
            return new Verification(Verification.Reason.UNKNOWN, null);
        }
        Token token = credential.token();
        if (!TokenFormat.digestsMatch(credential.digest(), TokenFormat.digest(parsed.secret()))) {
            // Recorded, but answered as an unknown id: without the secret nothing about the token is told.
            denied(Verification.Reason.UNKNOWN, token, "secret does not match");
            return new Verification(Verification.Reason.UNKNOWN, null);
        }
        Instant now = session.now();
        Verification.Reason reason = check(token, now, from.address());
        if (reason != Verification.Reason.VALID) {
            return denied(reason, token, null);
        }
        if (token.lastUsedAt() == null || !now.isBefore(token.lastUsedAt().plus(RECORD_INTERVAL))) {
            records.used(token.id(), now, from.text());
        }
        return new Verification(Verification.Reason.VALID, token);
    }

    /** Writes what is pending. */
    public void flush() {
        records.flush();
    }

    @Override
    public void close() {
        flush();
    }

    private Verification.Reason check(Token token, Instant now, IPAddress address) {
        if (!policy.tokensEnabled()) {
            return Verification.Reason.TOKENS_DISABLED;
        }
        switch (token.status(now)) {
            case REVOKED:
                return Verification.Reason.REVOKED;
            case EXPIRED:
                return Verification.Reason.EXPIRED;
            default:
                break;
        }
        // The enforced filter adds a restriction to the token's own, never replaces it: both must allow.
        for (String filterName : new String[] {policy.enforcedIpFilter(), token.ipFilter()}) {
            if (filterName == null) {
                continue;
            }
            if (address == null) {
                return Verification.Reason.IP_REQUIRED;
            }
            Optional<IpFilter> filter = filters.computeIfAbsent(filterName, store::ipFilter);
            if (filter.isEmpty() || !filter.get().evaluate(address).allowed()) {
                return Verification.Reason.IP_DENIED;
            }
        }
        if (!token.permissions().containsAll(required)) {
            return Verification.Reason.MISSING_PERMISSION;
        }
        return Verification.Reason.VALID;
    }

    private Verification denied(Verification.Reason reason, Token token, String note) {
        records.denied(token.id(), "reason=" + reason.label() + (note == null ? "" : " (" + note + ")"));
        return new Verification(reason, token);
    }
}
