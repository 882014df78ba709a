package dev.tokenctl.core;

import java.time.Instant;
import java.util.Set;

/**
 * Which tokens a listing wants: those in one of {@code statuses} at {@code now} and, when
 * {@code expiringBefore} is set, expiring no later than that.
 */
public record TokenQuery(Set<Token.Status> statuses, Instant now, Instant expiringBefore) {
}
