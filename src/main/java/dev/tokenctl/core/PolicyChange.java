package dev.tokenctl.core;

import java.time.Instant;
import java.util.List;

/**
 * What a policy change does: the new policy and the existing tokens it touches. Each effect is
 * a token that will be revoked (tokens turned off) or have its expiry cut back to {@code newExpiry}.
 */
public record PolicyChange(Policy before, Policy after, List<Effect> effects) {

    /** One token the change touches; {@code newExpiry} is null when the token is revoked. */
    public record Effect(Token token, Instant newExpiry) {
        public boolean revokes() {
            return newExpiry == null;
        }
    }

    public boolean touchesTokens() {
        return !effects.isEmpty();
    }
}
