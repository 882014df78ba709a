package dev.tokenctl.core;

import java.time.Instant;
import java.util.Set;

/**
 * Which tokens a listing wants: those in one of {@code statuses} at {@code now} and, when
 * {@code expiringBefore} is set, expiring no later than that; at most {@code limit} of them, the
 * first in {@code order}.
 */
public record TokenQuery(Set<Token.Status> statuses, Instant now, Instant expiringBefore, Order order, int limit) {

    /** The order of a listing; ties between equal times go by id. */
    public enum Order {
        /** Oldest first. */
        CREATED,
        /** Soonest to expire first; for a query with {@code expiringBefore}, so that every token has an expiry. */
        EXPIRES
    }

    /** Every matching token, oldest first. */
    public TokenQuery(Set<Token.Status> statuses, Instant now, Instant expiringBefore) {
        this(statuses, now, expiringBefore, Order.CREATED, Integer.MAX_VALUE);
    }
}
