package dev.tokenctl.core;

import java.time.Duration;
import java.time.Instant;

/** How a new token's expiry was asked for. */
public sealed interface Expiry {
    /** Expires this long after creation. */
    record In(Duration lifetime) implements Expiry { }

    /** Expires at this moment. */
    record At(Instant instant) implements Expiry { }

    /** Never expires. */
    record Never() implements Expiry { }

    /** Nothing was asked: the policy's default expiry applies, or the request is refused. */
    record Unspecified() implements Expiry { }
}
