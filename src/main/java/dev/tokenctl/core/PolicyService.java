package dev.tokenctl.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.UnaryOperator;

/**
 * The security policy: reading it, and changing it together with what the change does to
 * existing tokens. Lowering the maximum expiry cuts back every active or retiring token that
 * would outlive it (now + maximum; tokens without expiry get that expiry); turning tokens off
 * revokes every active and retiring token. Such a change is made only when confirmed.
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
     * @throws TokenctlException INVALID when the change touches tokens and is not confirmed, or
     *     the resulting policy is inconsistent; NOT_FOUND for an unknown filter
     */
    public PolicyChange apply(UnaryOperator<Policy> change, boolean confirmed) {
        return store.transaction(() -> {
            Instant now = session.now();
            PolicyChange plan = plan(store.policy(), change, now);
            if (plan.touchesTokens() && !confirmed) {
                throw TokenctlException.invalid("this change would affect " + plan.effects().size()
                        + " existing token(s) (review them with --dry-run, then rerun with --yes)");
            }
            if (plan.before().equals(plan.after())) {
                return plan;
            }
            store.savePolicy(plan.after());
            session.audit("policy", null, differences(plan.before(), plan.after()));
            for (PolicyChange.Effect effect : plan.effects()) {
                Token token = effect.token();
                if (effect.revokes()) {
                    String reason = "revoked: system tokens disabled by the security policy";
                    store.revokeToken(token.id(), now, reason);
                    session.audit("revoke", token.id(), "name=" + token.name() + " reason=" + reason);
                } else {
                    store.updateExpiry(token.id(), effect.newExpiry());
                    session.audit("expiry-cut", token.id(), "expires: " + Session.when(token.expiresAt()) + " -> "
                            + Session.when(effect.newExpiry()) + " (policy max-expiry " + Durations.format(plan.after().maxExpiry()) + ")");
                }
            }
            return plan;
        });
    }

    private PolicyChange plan(Policy before, UnaryOperator<Policy> change, Instant now) {
        Policy after = change.apply(before);
        validate(after);
        List<PolicyChange.Effect> effects = new ArrayList<>();
        boolean disabling = before.tokensEnabled() && !after.tokensEnabled();
        Duration max = after.maxExpiry();
        boolean maxChanged = max != null && !max.equals(before.maxExpiry());
        if (disabling || maxChanged) {
            Instant limit = max == null ? null : now.plus(max);
            store.forEachToken(new TokenQuery(EnumSet.of(Token.Status.ACTIVE, Token.Status.RETIRING), now, null), token -> {
                if (disabling) {
                    effects.add(new PolicyChange.Effect(token, null));
                } else if (token.expiresAt() == null || token.expiresAt().isAfter(limit)) {
                    effects.add(new PolicyChange.Effect(token, limit));
                }
            });
        }
        return new PolicyChange(before, after, List.copyOf(effects));
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
