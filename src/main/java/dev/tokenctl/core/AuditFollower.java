package dev.tokenctl.core;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Follows the audit log as other processes append to it: each {@link #poll} gives the events
 * committed since the last, each once, in the order of their sequence numbers. On PostgreSQL a
 * transaction may commit after one that took a later number, so a number not yet seen is waited
 * for (up to {@link #GAP_NANOS}; a rolled-back insert leaves a number that never comes) before
 * the follower reads only past it.
 */
public final class AuditFollower {
    static final long GAP_NANOS = 10_000_000_000L;
    private final Store store;
    private final String tokenId;
    /** Every event at or below this number has been given, or waited for long enough. */
    private long floor;
    /** Numbers above the floor already given. */
    private final Set<Long> seen = new HashSet<>();
    /** Numbers above the floor not seen yet, with when they were first missed. */
    private final Map<Long, Long> missingSince = new HashMap<>();

    AuditFollower(Store store, String tokenId) {
        this.store = store;
        this.tokenId = tokenId;
    }

    /** Gives the events at or after {@code since} (null: all), and starts following after them. */
    void start(Instant since, Consumer<AuditEvent> sink) {
        floor = store.lastAuditSeq();
        store.forEachAudit(since, tokenId, e -> {
            if (e.seq() > floor) {
                seen.add(e.seq());
            }
            sink.accept(e);
        });
    }

    /** Gives the events committed since the last call. */
    public void poll(Consumer<AuditEvent> sink) {
        poll(sink, System.nanoTime());
    }

    void poll(Consumer<AuditEvent> sink, long nanos) {
        long[] max = {floor};
        store.forEachAuditAfter(floor, e -> {
            if (seen.add(e.seq()) && (tokenId == null || tokenId.equals(e.tokenId()))) {
                sink.accept(e);
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
}
