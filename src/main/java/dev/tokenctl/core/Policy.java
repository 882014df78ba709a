package dev.tokenctl.core;

import java.time.Duration;

/**
 * The security policy of a store. {@code maxExpiry}, {@code defaultExpiry} and
 * {@code enforcedIpFilter} are null when not set; {@code maxRotationGrace} is null when a
 * rotation may give no grace at all.
 */
public record Policy(boolean tokensEnabled, Duration maxExpiry, Duration defaultExpiry,
                     String enforcedIpFilter, boolean allowPermissionUpdates, Duration maxRotationGrace) {

    /** The rotation grace a new store allows. */
    public static final Duration DEFAULT_MAX_ROTATION_GRACE = Duration.ofHours(1);

    /** The policy of a new store: tokens on, no limits, no enforced filter, permissions fixed, 1h of grace. */
    public static final Policy DEFAULT = new Policy(true, null, null, null, false, DEFAULT_MAX_ROTATION_GRACE);
}
