package dev.tokenctl.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.UnaryOperator;

/**
 * The security policy: reading it, and changing it together with what the change does to
 * existing active and retiring tokens. Turning tokens off revokes every one; lowering the maximum
 * expiry cuts back every one that would outlive it (now + maximum; tokens without expiry get that
 * expiry); lowering the maximum rotation grace ends each grace that runs past now + maximum then
 * (none: now); enforcing a filter, or another one, makes each token that did not have to pass
 * it pass it too. Such a change is made only when confirmed, and each token it changes is
 * audited. Lifting the enforced filter denies nothing that was allowed: the tokens it frees are
 * shown and audited, and it needs no confirmation.
 */
public final class PolicyService {
    private final Session session;
    private final Store store;

    public PolicyService(Session session) {
        this.session = session;
        this.store = session.store();
    }

    public Policy policy() {
        return store.policy();
    }

    /** What {@code change} would do, without doing it. */
    public PolicyChange plan(UnaryOperator<Policy> change) {
        return plan(store.policy(), change, session.now());
    }

    /**
     * Applies {@code change} in one transaction, with its effects on tokens, and audits the old
     * and new values. The effects are worked out again inside the transaction.
     *
     * @throws TokenctlException INVALID when the change restricts tokens and is not confirmed, or
     *     the resulting policy is inconsistent; NOT_FOUND for an unknown filter
     */
    public PolicyChange apply(UnaryOperator<Policy> change, boolean confirmed) {
        return store.transaction(() -> {
            Instant now = session.now();
            PolicyChange plan = plan(store.policy(), change, now);
            if (plan.needsConfirmation() && !confirmed) {
                throw TokenctlException.invalid("this change would affect " + plan.effects().size()
                        + " existing token(s) (review them with --dry-run, then rerun with --yes)");
            }
            if (plan.before().equals(plan.after())) {
                return plan;
            }
            store.savePolicy(plan.after());
            session.audit("policy", null, differences(plan.before(), plan.after()));
            for (PolicyChange.Effect effect : plan.effects()) {
                record(effect, plan.after(), now);
            }
            return plan;
        });
    }

    /** Makes one effect and audits it, one event for the token. */
    private void record(PolicyChange.Effect effect, Policy after, Instant now) {
        Token token = effect.token();
        switch (effect.action()) {
            case REVOKE -> {
                String reason = "revoked: system tokens disabled by the security policy";
                store.revokeToken(token.id(), now, reason);
                session.audit("revoke", token.id(), "name=" + token.name() + " reason=" + reason);
            }
            case CUT_EXPIRY -> {
                store.updateExpiry(token.id(), effect.newEnd());
                session.audit("expiry-cut", token.id(), effect.change() + " (policy max-expiry "
                        + Durations.format(after.maxExpiry()) + ")");
            }
            case CUT_GRACE -> {
                // The rotation's reason stays: the token is still one replaced by its successor.
                store.revokeToken(token.id(), effect.newEnd(), token.revokeReason());
                session.audit("grace-cut", token.id(), effect.change() + " (policy max-rotation-grace "
                        + PolicySetting.MAX_ROTATION_GRACE.format(after.maxRotationGrace()) + ")");
            }
            case REQUIRE_FILTER, RELAX_FILTER -> session.audit("enforced-filter", token.id(), effect.change() + " (policy enforced-ip-filter "
                    + PolicySetting.ENFORCED_IP_FILTER.format(after.enforcedIpFilter()) + ")");
        }
    }

    private PolicyChange plan(Policy before, UnaryOperator<Policy> change, Instant now) {
        Policy after = change.apply(before);
        validate(after);
        List<PolicyChange.Effect> effects = new ArrayList<>();
        boolean disabling = before.tokensEnabled() && !after.tokensEnabled();
        Duration max = after.maxExpiry();
        Instant expiryLimit = max != null && !max.equals(before.maxExpiry()) ? now.plus(max) : null;
        Duration grace = after.maxRotationGrace();
        Instant graceLimit = Objects.equals(grace, before.maxRotationGrace()) ? null
                : grace == null ? now : now.plus(grace);
        String enforced = after.enforcedIpFilter();
        boolean filterChanged = !Objects.equals(enforced, before.enforcedIpFilter());
        if (disabling || expiryLimit != null || graceLimit != null || filterChanged) {
            store.forEachToken(new TokenQuery(EnumSet.of(Token.Status.ACTIVE, Token.Status.RETIRING), now, null), token -> {
                if (disabling) {
                    effects.add(new PolicyChange.Effect(token, PolicyChange.Action.REVOKE, null,
                            "revoked now: tokens turned off"));
                    return;
                }
                if (expiryLimit != null && (token.expiresAt() == null || token.expiresAt().isAfter(expiryLimit))) {
                    effects.add(new PolicyChange.Effect(token, PolicyChange.Action.CUT_EXPIRY, expiryLimit,
                            "expires: " + Session.when(token.expiresAt()) + " -> " + Session.when(expiryLimit)));
                }
                // Only a retiring token has a revocation time after now.
                if (graceLimit != null && token.revokedAt() != null && token.revokedAt().isAfter(graceLimit)) {
                    effects.add(new PolicyChange.Effect(token, PolicyChange.Action.CUT_GRACE, graceLimit,
                            "grace ends: " + Session.when(token.revokedAt()) + " -> " + Session.when(graceLimit)));
                }
                if (filterChanged) {
                    filterEffect(token, before.enforcedIpFilter(), enforced).ifPresent(effects::add);
                }
            });
        }
        return new PolicyChange(before, after, List.copyOf(effects));
    }

    /**
     * What enforcing {@code enforced} instead of {@code was} (either may be null) changes for
     * {@code token}: nothing when it must pass the same filters after as before (its own filter
     * is the one enforced); a restriction when it must pass one it did not have to pass.
     */
    private static Optional<PolicyChange.Effect> filterEffect(Token token, String was, String enforced) {
        String own = token.ipFilter();
        Set<String> before = filters(own, was);
        Set<String> after = filters(own, enforced);
        if (before.equals(after)) {
            return Optional.empty();
        }
        String change = before.isEmpty() ? "a client address now required, in filter " + enforced
                : addresses(own, enforced) + " (was " + addresses(own, was) + ")";
        return Optional.of(new PolicyChange.Effect(token, before.containsAll(after)
                ? PolicyChange.Action.RELAX_FILTER : PolicyChange.Action.REQUIRE_FILTER, null, change));
    }

    private static Set<String> filters(String own, String enforced) {
        Set<String> names = new HashSet<>();
        if (own != null) {
            names.add(own);
        }
        if (enforced != null) {
            names.add(enforced);
        }
        return names;
    }

    /** Which client addresses a token with filter {@code own} accepts under {@code enforced}. */
    private static String addresses(String own, String enforced) {
        if (own == null) {
            return enforced == null ? "any client address" : "a client address in filter " + enforced;
        }
        return enforced == null || enforced.equals(own) ? "its own filter " + own
                : "its own filter " + own + " AND " + enforced;
    }

    private void validate(Policy policy) {
        if (policy.maxExpiry() != null && policy.defaultExpiry() != null
                && policy.defaultExpiry().compareTo(policy.maxExpiry()) > 0) {
            throw TokenctlException.invalid("default-expiry " + Durations.format(policy.defaultExpiry())
                    + " exceeds max-expiry " + Durations.format(policy.maxExpiry())
                    + " (lower default-expiry or raise max-expiry)");
        }
        String filter = policy.enforcedIpFilter();
        if (filter != null && store.ipFilter(filter).isEmpty()) {
            throw Refusals.noIpFilter(filter, "add it first with 'tokenctl ipfilter add'");
        }
    }

    /** {@code setting: old -> new} for each setting that changed, separated by semicolons. */
    public static String differences(Policy before, Policy after) {
        StringJoiner out = new StringJoiner("; ");
        for (PolicySetting setting : PolicySetting.values()) {
            Object old = setting.get(before);
            Object now = setting.get(after);
            if (!Objects.equals(old, now)) {
                out.add(setting.label() + ": " + setting.format(old) + " -> " + setting.format(now));
            }
        }
        return out.toString();
    }
}
