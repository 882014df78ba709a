package dev.tokenctl.core;

import java.time.Duration;

/**
 * The security policy of a store. {@code maxExpiry}, {@code defaultExpiry} and
 * {@code enforcedIpFilter} are null when not set.
 */
public record Policy(boolean tokensEnabled, Duration maxExpiry, Duration defaultExpiry,
                     String enforcedIpFilter, boolean allowPermissionUpdates) {

    /** The policy of a new store: tokens on, no limits, no enforced filter, permissions fixed. */
    public static final Policy DEFAULT = new Policy(true, null, null, null, false);
}
