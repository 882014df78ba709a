package dev.tokenctl.core;

import java.time.Instant;
import java.util.List;

/**
 * What a policy change does: the new policy and each change it makes to how an existing token
 * behaves. A token may have more than one effect (its expiry and its grace cut back, say).
 */
public record PolicyChange(Policy before, Policy after, List<Effect> effects) {

    /** The kinds of effect, each with its name in previews and whether it must be confirmed. */
    public enum Action {
        /** Tokens turned off: the token is revoked now. */
        REVOKE("revoke", true),
        /** A lowered max-expiry: the token's expiry is cut back to {@code newEnd}. */
        CUT_EXPIRY("cut-expiry", true),
        /** A lowered max-rotation-grace: a retiring token's grace ends at {@code newEnd}. */
        CUT_GRACE("cut-grace", true),
        /** The enforced filter set or changed: the token must pass a filter it did not have to pass. */
        REQUIRE_FILTER("require-filter", true),
        /**
         * The enforced filter lifted: the token passes fewer filters. Nothing allowed before is
         * denied after, so it is shown but needs no confirmation.
         */
        RELAX_FILTER("relax-filter", false);

        private final String label;
        private final boolean confirmed;

        Action(String label, boolean confirmed) {
            this.label = label;
            this.confirmed = confirmed;
        }

        public String label() {
            return label;
        }

        /** Whether a change with this effect is made only when confirmed. */
        public boolean needsConfirmation() {
            return confirmed;
        }
    }

    /**
     * One change to one token: {@code newEnd} is the token's new expiry (CUT_EXPIRY) or end of
     * grace (CUT_GRACE), null otherwise; {@code change} says in one line what changes for it.
     */
    public record Effect(Token token, Action action, Instant newEnd, String change) {
    }

    /** Whether the change may be made only when confirmed: it restricts at least one token. */
    public boolean needsConfirmation() {
        return effects.stream().anyMatch(e -> e.action().needsConfirmation());
    }
}
