package dev.tokenctl.core;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** What every service works with: the store, the clock and who is acting, for the audit log. */
public record Session(Store store, Clock clock, String actor) {

    /** The current time to the millisecond, the precision the store keeps. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** A moment as audit details show it: ISO-8601 UTC to the second, or "never". */
    static String when(Instant instant) {
        return instant == null ? "never" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Appends an audit event stamped now; call it inside the transaction that made the change. */
    public void audit(String action, String tokenId, String details) {
        store.audit(new AuditEvent(now(), actor, action, tokenId, details, 0));
    }
}
