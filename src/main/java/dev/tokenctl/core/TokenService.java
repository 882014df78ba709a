package dev.tokenctl.core;

import inet.ipaddr.IPAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The token lifecycle under the security policy: create, look up, list, revoke, rotate, verify
 * and update. Every operation that writes runs in one transaction; when it throws, nothing is
 * written. A token string leaves this class only as the return value of create and rotate.
 */
public final class TokenService {
    /** Name length limit, in characters. */
    public static final int MAX_NAME = 253;
    /** Limit on descriptions and revocation reasons, in characters. */
    public static final int MAX_TEXT = 1000;
    private final Session session;
    private final Store store;
    private final TokenFormat format;

    public TokenService(Session session, TokenFormat format) {
        this.session = session;
        this.store = session.store();
        this.format = format;
    }

    /** What create asks for. {@code description} and {@code ipFilter} may be null. */
    public record NewToken(String name, String description, Set<Permission> permissions, Expiry expiry,
                           String ipFilter, Map<String, String> labels) {
    }

    /**
     * What update asks for; null (or empty) for what stays. {@code description} "" removes it;
     * {@code ipFilter} {@link IpFilter#NONE} removes the token's filter.
     */
    public record Changes(Set<Permission> permissions, Expiry expiry, String description, String ipFilter,
                          Map<String, String> setLabels, List<String> removeLabels) {
        boolean none() {
            return permissions == null && expiry == null && description == null && ipFilter == null
                    && setLabels.isEmpty() && removeLabels.isEmpty();
        }
    }

    /** A token just issued, with the only copy of its string. */
    public record Issued(Token token, String tokenString) {
        @Override
        public String toString() {
            return "Issued[token=" + token + ", tokenString=<hidden>]";
        }
    }

    /** The outcome of revoking one token; {@code alreadyRevoked} when it had been revoked before. */
    public record Revoked(Token token, boolean alreadyRevoked) {
    }

    /**
     * Creates a token. Runs in one transaction; the string is returned only after it committed.
     *
     * @throws TokenctlException INVALID, NOT_FOUND (filter), CONFLICT (name in use) or POLICY
     */
    public Issued create(NewToken asked) {
        NewToken request = new NewToken(normalized(asked.name()), asked.description(), asked.permissions(),
                asked.expiry(), asked.ipFilter(), Labels.change(Map.of(), asked.labels(), List.of()));
        checkName(request.name());
        if (request.description() != null) {
            Text.checkPrintable("description", request.description(), 0, MAX_TEXT);
        }
        if (request.permissions().isEmpty()) {
            throw TokenctlException.invalid("no permission given (add --permission NAME; 'tokenctl permissions list' shows them)");
        }
        return store.transaction(() -> {
            Policy policy = store.policy();
            requireEnabled(policy);
            Instant now = session.now();
            Instant expiresAt = expiresAt(request.expiry(), policy, now);
            String filter = request.ipFilter();
            checkIpFilter(filter, policy);
            if (store.activeNameExists(request.name(), now)) {
                throw Refusals.Unique.TOKEN_NAME.taken(request.name());
            }
            Token token = new Token(format.newId(), request.name(), request.description(),
                    Set.copyOf(request.permissions()), now, expiresAt, filter, null, null, null, null, null,
                    request.labels());
            String tokenString = insert(token);
            session.audit("create", token.id(), "name=" + token.name() + " permissions="
                    + Permission.format(token.permissions()) + " expires=" + Session.when(expiresAt)
                    + (filter == null ? "" : " ip-filter=" + filter)
                    + (token.labels().isEmpty() ? "" : " labels=" + Labels.quoted(token.labels())));
            return new Issued(token, tokenString);
        });
    }

    /**
     * The token an id or name refers to: an id always works, revoked and retiring tokens too; a
     * name means its current generation: the token of that name that is not revoked or, when
     * there is none, the one revoked last, never one that is retiring.
     *
     * @throws TokenctlException NOT_FOUND
     */
    public Token resolve(String idOrName) {
        Optional<Token> found = TokenFormat.looksLikeId(idOrName) ? store.token(idOrName) : Optional.empty();
        String name = normalized(idOrName);
        Instant now = session.now();
        return found.or(() -> store.tokenByName(name, now))
                .or(() -> name.equals(idOrName) ? Optional.empty() : store.tokenByName(idOrName, now))
                .orElseThrow(() -> Refusals.noToken(idOrName));
    }

    /** Streams the tokens that match, oldest first: {@code labels} as {@link Labels#matches} selects. */
    public void list(Set<Token.Status> statuses, Duration expiringWithin, Map<String, String> labels,
                     Consumer<Token> sink) {
        Instant now = session.now();
        TokenQuery query = new TokenQuery(statuses, now, expiringWithin == null ? null : now.plus(expiringWithin));
        store.forEachToken(query, labels.isEmpty() ? sink : t -> {
            if (Labels.matches(t.labels(), labels)) {
                sink.accept(t);
            }
        });
    }

    /**
     * Streams at most {@code limit} of the tokens that match and expire within
     * {@code expiringWithin}, those that expire soonest (then by id), and returns how many more
     * match: an expiry alert needs the soonest first, and a store of any size gives at most
     * {@code limit}. {@code labels} as {@link Labels#matches} selects.
     */
    public long listSoonestExpiring(Set<Token.Status> statuses, Duration expiringWithin, Map<String, String> labels,
                                    int limit, Consumer<Token> sink) {
        Instant now = session.now();
        Instant before = now.plus(expiringWithin);
        if (!labels.isEmpty()) {
            // Labels are matched here, not by the database: every token that might match is read,
            // and those past the limit only counted.
            long[] matched = {0};
            store.forEachToken(new TokenQuery(statuses, now, before, TokenQuery.Order.EXPIRES, Integer.MAX_VALUE), t -> {
                if (Labels.matches(t.labels(), labels) && matched[0]++ < limit) {
                    sink.accept(t);
                }
            });
            return Math.max(0, matched[0] - limit);
        }
        TokenQuery query = new TokenQuery(statuses, now, before, TokenQuery.Order.EXPIRES, limit);
        long[] sent = {0};
        store.forEachToken(query, t -> {
            sent[0]++;
            sink.accept(t);
        });
        // Fewer than the limit leaves none out; otherwise the database counts the rest without
        // sending them. A write between the two queries may change the count: never below none.
        return sent[0] < limit ? 0 : Math.max(0, store.countTokens(query) - sent[0]);
    }

    /**
     * Revokes every token named, in one transaction: when one is not found, none is revoked.
     * Revoking a revoked token changes nothing and is reported as such.
     */
    public List<Revoked> revoke(List<String> idsOrNames, String reason) {
        if (reason != null) {
            Text.checkPrintable("reason", reason, 1, MAX_TEXT);
        }
        return store.transaction(() -> {
            List<Token> tokens = idsOrNames.stream().map(this::resolve).toList();
            List<Revoked> outcome = new ArrayList<>();
            Instant now = session.now();
            for (Token token : tokens) {
                Token current = store.token(token.id()).orElseThrow();
                if (current.status(now) == Token.Status.REVOKED) {
                    outcome.add(new Revoked(current, true));
                    continue;
                }
                String why = reason == null ? "revoked by " + session.actor() : reason;
                store.revokeToken(current.id(), now, why);
                session.audit("revoke", current.id(), "name=" + current.name() + " reason=" + why);
                outcome.add(new Revoked(current.withRevocation(now, why), false));
                if (current.status(now) != Token.Status.RETIRING) {
                    // Revoking a name's current generation leaves no generation of it valid.
                    endGraces(current, now, "its successor " + current.id() + " was revoked");
                }
            }
            return outcome;
        });
    }

    /**
     * Revokes every token that is not revoked and whose labels match {@code selector}, chosen
     * and revoked in one transaction: exactly the tokens a listing with the same selector shows.
     */
    public List<Revoked> revokeLabelled(Map<String, String> selector, String reason) {
        return store.transaction(() -> {
            List<String> ids = new ArrayList<>();
            list(unrevoked(), null, selector, t -> ids.add(t.id()));
            return revoke(ids, reason);
        });
    }

    /**
     * Issues a new token with the same name, description, permissions, IP filter and labels, and
     * revokes the old one, in one transaction. The lifetime is {@code lifetime} when given,
     * otherwise the old token's lifetime length counted from now (no expiry stays no expiry).
     * With {@code grace}, the old token stays valid (retiring) until now + grace, never past its
     * own expiry. At most two generations are valid: a predecessor still retiring is revoked now.
     *
     * @throws TokenctlException NOT_FOUND, CONFLICT (revoked or retiring) or POLICY
     */
    public Issued rotate(String idOrName, Duration lifetime, Duration grace) {
        return store.transaction(() -> {
            Token old = resolve(idOrName);
            Instant now = session.now();
            requireCurrent(old, now, "be rotated", "rotate", true);
            Policy policy = store.policy();
            requireEnabled(policy);
            checkGrace(grace, policy);
            Expiry expiry = lifetime != null ? new Expiry.In(lifetime) : inheritedLifetime(old, policy);
            Instant expiresAt = expiresAt(expiry, policy, now);
            String newId = format.newId();
            endGraces(old, now, old.id() + " was rotated, and at most two generations are valid");
            // Never past its own expiry; one rotated after it expired is revoked now.
            Instant retiresAt = old.withRevocation(grace == null ? now : now.plus(grace), null).validUntil();
            if (retiresAt.isBefore(now)) {
                retiresAt = now;
            }
            store.revokeToken(old.id(), retiresAt, "rotated: replaced by " + newId);
            Token token = new Token(newId, old.name(), old.description(), old.permissions(), now, expiresAt,
                    old.ipFilter(), null, null, null, null, old.id(), old.labels());
            String tokenString = insert(token);
            session.audit("rotate", old.id(), "replaced by " + newId
                    + (retiresAt.isAfter(now) ? " (valid until " + Session.when(retiresAt) + ")" : ""));
            session.audit("create", newId, "rotated from " + old.id() + " expires=" + Session.when(expiresAt));
            return new Issued(token, tokenString);
        });
    }

    /**
     * Only a current generation can be rotated or changed: never a token with a revocation
     * time, whether it is revoked or retiring (its successor is current), even when it has
     * expired since; and an expired token only when {@code expiredToo}.
     *
     * @throws TokenctlException CONFLICT naming what to do instead
     */
    private static void requireCurrent(Token token, Instant now, String cannot, String verb, boolean expiredToo) {
        String state;
        if (token.revokedAt() != null) {
            state = token.revokedAt().isAfter(now) ? "retiring" : "revoked";
        } else if (!expiredToo && token.status(now) == Token.Status.EXPIRED) {
            state = "expired";
        } else {
            return;
        }
        throw TokenctlException.conflict("token " + token.id() + " (" + Text.quoteSafe(token.name()) + ") is "
                + state + " and cannot " + cannot + " (" + switch (state) {
                    case "retiring" -> verb + " its successor, the current '" + Text.quoteSafe(token.name()) + "'";
                    case "expired" -> "rotate it for a new token";
                    default -> "create a new token instead";
                } + ")");
    }

    /** Ends the grace of every other token of {@code token}'s name that is retiring, as revoked now. */
    private void endGraces(Token token, Instant now, String why) {
        for (Token retiring : store.retiringByName(token.name(), now)) {
            if (!retiring.id().equals(token.id())) {
                store.revokeToken(retiring.id(), now, retiring.revokeReason());
                session.audit("revoke", retiring.id(), "name=" + retiring.name() + " reason=grace ended: " + why);
            }
        }
    }

    private static void checkGrace(Duration grace, Policy policy) {
        if (grace == null) {
            return;
        }
        Duration max = policy.maxRotationGrace();
        if (max == null) {
            throw TokenctlException.policy("the policy allows no rotation grace (max-rotation-grace is none;"
                    + " rotate without --grace, or an administrator can allow one with"
                    + " 'tokenctl policy set --max-rotation-grace 1h')");
        }
        if (grace.compareTo(max) > 0) {
            throw TokenctlException.policy("--grace " + Durations.format(grace) + " exceeds the policy's max-rotation-grace of "
                    + Durations.format(max) + " (use --grace " + Durations.format(max) + " or less)");
        }
    }

    /**
     * Changes a token in place, every change in one transaction and one audit event with each
     * old and new value. Permissions only when the policy allows permission updates; a new
     * expiry within the policy's maximum, as at creation, unless it shortens the lifetime; an IP
     * filter that exists, and not another than the enforced one.
     *
     * @throws TokenctlException NOT_FOUND, CONFLICT (revoked or retiring), INVALID or POLICY
     */
    public Token update(String idOrName, Changes changes) {
        if (changes.none()) {
            throw TokenctlException.invalid("nothing to change (give --permission, an expiry option, --description,"
                    + " --ip-filter, --no-ip-filter, --label or --remove-label)");
        }
        if (changes.permissions() != null && changes.permissions().isEmpty()) {
            throw TokenctlException.invalid("no permission given (add --permission NAME)");
        }
        if (changes.description() != null && !changes.description().isEmpty()) {
            Text.checkPrintable("description", changes.description(), 0, MAX_TEXT);
        }
        return store.transaction(() -> {
            Token token = resolve(idOrName);
            Instant now = session.now();
            requireCurrent(token, now, "change", "change", false);
            Policy policy = store.policy();
            requireEnabled(policy);
            if (changes.permissions() != null && !policy.allowPermissionUpdates()) {
                throw TokenctlException.policy("the policy does not allow changing a token's permissions"
                        + " (an administrator can allow it with 'tokenctl policy set --allow-permission-updates true',"
                        + " or rotate to a new token)");
            }
            Instant expiresAt = token.expiresAt();
            if (changes.expiry() != null) {
                Instant asked = requested(changes.expiry(), policy, now);
                boolean shorter = asked != null && (token.expiresAt() == null || !asked.isAfter(token.expiresAt()));
                expiresAt = shorter ? asked : withinMax(asked, policy, now);
            }
            String filter = token.ipFilter();
            if (changes.ipFilter() != null) {
                filter = changes.ipFilter().equals(IpFilter.NONE) ? null : changes.ipFilter();
                checkIpFilter(filter, policy);
            }
            String description = changes.description() == null ? token.description()
                    : changes.description().isEmpty() ? null : changes.description();
            Token updated = new Token(token.id(), token.name(), description,
                    changes.permissions() == null ? token.permissions() : Set.copyOf(changes.permissions()),
                    token.createdAt(), expiresAt, filter, null, null, token.lastUsedAt(), token.lastUsedAddress(),
                    token.rotatedFrom(), Labels.change(token.labels(), changes.setLabels(), changes.removeLabels()));
            String differences = differences(token, updated);
            if (!differences.isEmpty()) {
                store.updateToken(updated);
                session.audit("update", token.id(), differences);
            }
            return updated;
        });
    }

    /** {@code field: old -> new} for each field that changed, separated by semicolons. */
    private static String differences(Token before, Token after) {
        java.util.StringJoiner out = new java.util.StringJoiner("; ");
        difference(out, "permissions", Permission.format(before.permissions()), Permission.format(after.permissions()));
        difference(out, "expires", Session.when(before.expiresAt()), Session.when(after.expiresAt()));
        difference(out, "description", Text.quoted(before.description()), Text.quoted(after.description()));
        difference(out, "ip-filter", Objects.requireNonNullElse(before.ipFilter(), IpFilter.NONE),
                Objects.requireNonNullElse(after.ipFilter(), IpFilter.NONE));
        difference(out, "labels", Labels.quoted(before.labels()), Labels.quoted(after.labels()));
        return out.toString();
    }

    private static void difference(java.util.StringJoiner out, String field, String before, String after) {
        if (!before.equals(after)) {
            out.add(field + ": " + (before.isEmpty() ? "none" : before) + " -> " + (after.isEmpty() ? "none" : after));
        }
    }

    /**
     * Checks one token string; see {@link Verifier} for what is recorded.
     *
     * @param address the client address, or null when none was given
     */
    public Verification verify(String tokenString, IPAddress address, Set<Permission> required) {
        try (Verifier verifier = verifier(address, required)) {
            return verifier.verify(tokenString);
        }
    }

    /** A verifier for many tokens with the same address and required permissions. */
    public Verifier verifier(IPAddress address, Set<Permission> required) {
        return verifier(address, required, new StoreRecords(session));
    }

    /** A verifier whose last uses and denied attempts go to {@code records}, such as a writer off the request path. */
    public Verifier verifier(IPAddress address, Set<Permission> required, Verifier.Records records) {
        return new Verifier(session, address, required, records);
    }

    /**
     * Audit events at or after {@code since} (null: any time), of {@code tokenId} (null: any):
     * oldest first; or, when {@code after} is above 0, those numbered after it, by number.
     */
    public void audit(Instant since, long after, String tokenId, Consumer<AuditEvent> sink) {
        if (after > 0) {
            store.forEachAuditAfter(after, e -> {
                if (AuditFollower.matches(e, since, tokenId)) {
                    sink.accept(e);
                }
            });
        } else {
            store.forEachAudit(since, tokenId, sink);
        }
    }

    /**
     * A follower that gives what {@link #audit} gives, then the events committed since, by any
     * process, for the same token (all when null).
     */
    public AuditFollower followAudit(Instant since, long after, String tokenId) {
        return new AuditFollower(store, tokenId, since, after);
    }

    /**
     * The lifetime a rotation without one gives: the old token's, capped at the policy maximum
     * (a token cut back by a lowered maximum counts its age in its lifetime, which would
     * otherwise exceed the maximum on every rotation).
     */
    private static Expiry inheritedLifetime(Token old, Policy policy) {
        if (old.expiresAt() == null) {
            return policy.maxExpiry() == null ? new Expiry.Never() : new Expiry.In(policy.maxExpiry());
        }
        Duration lifetime = Duration.between(old.createdAt(), old.expiresAt());
        return new Expiry.In(policy.maxExpiry() != null && lifetime.compareTo(policy.maxExpiry()) > 0
                ? policy.maxExpiry() : lifetime);
    }

    private String insert(Token token) {
        String tokenString = format.newToken(token.id());
        try {
            store.insertToken(token, TokenFormat.digest(TokenFormat.parse(tokenString).secret()));
        } catch (TokenFormat.FormatException e) {
            throw new IllegalStateException("a freshly made token does not parse", e);
        }
        return tokenString;
    }

    /** The expiry asked for, within the policy's maximum. */
    private static Instant expiresAt(Expiry expiry, Policy policy, Instant now) {
        return withinMax(requested(expiry, policy, now), policy, now);
    }

    /** The expiry asked for, the policy's default when none was; null for none. */
    private static Instant requested(Expiry expiry, Policy policy, Instant now) {
        if (expiry instanceof Expiry.Unspecified) {
            if (policy.defaultExpiry() == null) {
                throw TokenctlException.invalid("no expiry given (choose one: --expires-in DURATION, --expires-at TIMESTAMP"
                        + " or --no-expiry)");
            }
            expiry = new Expiry.In(policy.defaultExpiry());
        }
        Instant expiresAt;
        if (expiry instanceof Expiry.In in) {
            expiresAt = now.plus(in.lifetime());
        } else if (expiry instanceof Expiry.At at) {
            if (!at.instant().isAfter(now)) {
                throw TokenctlException.invalid("expiry " + at.instant() + " is not in the future (give a later time)");
            }
            if (Duration.between(now, at.instant()).compareTo(Durations.MAX) > 0) {
                throw TokenctlException.invalid("expiry " + at.instant() + " is more than " + Durations.format(Durations.MAX)
                        + " away (use --no-expiry for a token that never expires)");
            }
            expiresAt = at.instant();
        } else {
            expiresAt = null;
        }
        return expiresAt;
    }

    /**
     * {@code expiresAt}, when the policy's maximum allows it.
     *
     * @throws TokenctlException POLICY
     */
    private static Instant withinMax(Instant expiresAt, Policy policy, Instant now) {
        Duration max = policy.maxExpiry();
        if (max != null) {
            if (expiresAt == null) {
                throw TokenctlException.policy("tokens must expire: the policy maximum expiry is " + Durations.format(max)
                        + " (use --expires-in " + Durations.format(max) + " or less)");
            }
            Duration lifetime = Duration.between(now, expiresAt);
            if (lifetime.compareTo(max) > 0) {
                throw TokenctlException.policy("expiry " + describe(lifetime) + " exceeds the policy maximum of "
                        + Durations.format(max) + " (use --expires-in " + Durations.format(max) + " or less)");
            }
        }
        return expiresAt;
    }

    private static String describe(Duration lifetime) {
        Duration whole = Duration.ofSeconds(lifetime.getSeconds());
        return whole.isZero() ? lifetime.toString() : Durations.format(whole);
    }

    /**
     * Checks that a token may be bound to {@code filter} (null for none): it exists, and the
     * policy enforces no other.
     */
    private void checkIpFilter(String filter, Policy policy) {
        if (filter == null) {
            return;
        }
        if (store.ipFilter(filter).isEmpty()) {
            throw Refusals.noIpFilter(filter, "run 'tokenctl ipfilter list', or add it with 'tokenctl ipfilter add'");
        }
        if (policy.enforcedIpFilter() != null && !policy.enforcedIpFilter().equals(filter)) {
            throw TokenctlException.policy("IP filter '" + filter + "' is not allowed: the policy enforces '"
                    + policy.enforcedIpFilter() + "' on every token (omit --ip-filter)");
        }
    }

    private static void requireEnabled(Policy policy) {
        if (!policy.tokensEnabled()) {
            throw TokenctlException.policy("system tokens are disabled by the security policy"
                    + " (an administrator can enable them with 'tokenctl policy set --tokens-enabled true')");
        }
    }

    private static void checkName(String name) {
        Text.checkPrintable("name", name, 1, MAX_NAME);
        if (!name.equals(name.strip())) {
            throw TokenctlException.invalid("name '" + Text.quoteSafe(name) + "' starts or ends with whitespace (remove it)");
        }
        if (name.startsWith(TokenFormat.ID_PREFIX)) {
            throw TokenctlException.invalid("name '" + Text.quoteSafe(name) + "' starts with '" + TokenFormat.ID_PREFIX
                    + "', which is reserved for token ids (choose another name)");
        }
    }

    /**
     * A name in Unicode's composed form (NFC), as names are stored and compared: "café" typed
     * with a combining accent is the same name as with a precomposed one. A stored name from
     * before names were normalised is still found by its own spelling.
     */
    private static String normalized(String name) {
        return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFC);
    }


    /** All statuses but revoked: what a listing shows by default. */
    public static Set<Token.Status> unrevoked() {
        return EnumSet.of(Token.Status.ACTIVE, Token.Status.RETIRING, Token.Status.EXPIRED);
    }
}
