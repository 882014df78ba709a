package dev.tokenctl.core;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Follows the audit log as other processes append to it: each {@link #poll} gives the events
 * committed since the last, each once, in the order of their sequence numbers.
 *
 * <p>tokenctl's own writers take the store's write lock before an event gets its number and hold
 * it until they commit (SQLite's {@code BEGIN IMMEDIATE}, PostgreSQL's advisory lock), so their
 * numbers are in commit order, and "after event N" names exactly the events still to come. A
 * writer outside tokenctl may commit on PostgreSQL after one that took a later number, and a
 * rolled-back insert leaves a number that never comes; so a number not yet seen is waited for (up
 * to {@link #GAP_NANOS}) before the follower reads only past it.
 */
public final class AuditFollower {
    static final long GAP_NANOS = 10_000_000_000L;
    /** How often the store is asked for new events: well within the second a follower may lag. */
    static final Duration POLL = Duration.ofMillis(200);
    /** The first wait before reconnecting to a store that failed; each failure after doubles it, up to {@link #LAST_RETRY}. */
    static final Duration FIRST_RETRY = Duration.ofMillis(500);
    static final Duration LAST_RETRY = Duration.ofSeconds(5);

    /** How a follower passes time; tests give one that moves a clock instead of waiting. */
    public interface Pacer {
        /** Nanoseconds from a fixed, arbitrary origin, as {@link System#nanoTime}. */
        long nanoTime();

        /** Waits for {@code time}, or less when following is to end; false when it is. */
        boolean pause(Duration time) throws InterruptedException;
    }

    private Store store;
    private final String tokenId;
    private final Instant since;
    private final long after;
    /** Every event at or below this number has been given, or waited for long enough. */
    private long floor;
    /** Numbers above the floor already given. */
    private final Set<Long> seen = new HashSet<>();
    /** Numbers above the floor not seen yet, with when they were first missed. */
    private final Map<Long, Long> missingSince = new HashMap<>();
    /** The number of the event given last, 0 before the first. */
    private long last;

    /**
     * A follower of the events of {@code tokenId} (all when null) that starts with those at or
     * after {@code since} (null: any time) numbered after {@code after} (0: all).
     */
    AuditFollower(Store store, String tokenId, Instant since, long after) {
        this.store = store;
        this.tokenId = tokenId;
        this.since = since;
        this.after = after;
    }

    /** Whether {@code e} is at or after {@code since} (null: any time) and of {@code tokenId} (null: any). */
    static boolean matches(AuditEvent e, Instant since, String tokenId) {
        return (since == null || !e.at().isBefore(since)) && (tokenId == null || tokenId.equals(e.tokenId()));
    }

    /**
     * Gives the events there are, then those committed since, until {@code pacer} says to end.
     * When the store fails (an error of kind STORAGE, such as a database server restarting),
     * says so to {@code warnings}, waits, and opens it again with {@code reconnect}, each wait
     * twice the one before up to {@link #LAST_RETRY}, then says that it is back and goes on
     * after the last event it gave: none lost, none given twice.
     *
     * @throws TokenctlException when the store cannot be read at the start, or of another kind
     */
    public void follow(Consumer<AuditEvent> sink, Supplier<Store> reconnect, Pacer pacer, Consumer<String> warnings)
            throws InterruptedException {
        start(sink, pacer.nanoTime());
        Duration retry = null;
        while (pacer.pause(retry == null ? POLL : retry)) {
            try {
                if (retry != null) {
                    store = reconnect.get();
                }
                long before = last;
                poll(sink, pacer.nanoTime());
                if (retry != null) {
                    warnings.accept("reconnected to the store; following on after event " + before);
                    retry = null;
                }
            } catch (TokenctlException e) {
                if (e.kind() != TokenctlException.Kind.STORAGE) {
                    throw e;
                }
                if (retry == null) {
                    warnings.accept("lost the store (" + e.getMessage() + "); reconnecting");
                    retry = FIRST_RETRY;
                } else {
                    retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
                }
            }
        }
    }

    /** Gives the events to start with, and starts following after them. */
    void start(Consumer<AuditEvent> sink, long nanos) {
        if (after > 0) {
            floor = after;
            read(sink, since, nanos);
            return;
        }
        floor = store.lastAuditSeq();
        store.forEachAudit(since, tokenId, e -> {
            if (e.seq() > floor) {
                seen.add(e.seq());
            }
            give(sink, e);
        });
    }

    /** Gives the events committed since the last call. */
    void poll(Consumer<AuditEvent> sink, long nanos) {
        read(sink, null, nanos);
    }

    private void read(Consumer<AuditEvent> sink, Instant from, long nanos) {
        long[] max = {floor};
        store.forEachAuditAfter(floor, e -> {
            if (seen.add(e.seq()) && matches(e, from, tokenId)) {
                give(sink, e);
            }
            max[0] = Math.max(max[0], e.seq());
        });
        while (floor < max[0]) {
            long next = floor + 1;
            if (!seen.remove(next)) {
                long missed = missingSince.computeIfAbsent(next, n -> nanos);
                if (nanos - missed < GAP_NANOS) {
                    break;
                }
                missingSince.remove(next);
            }
            floor = next;
        }
    }

    private void give(Consumer<AuditEvent> sink, AuditEvent e) {
        sink.accept(e);
        last = e.seq();
    }
}
