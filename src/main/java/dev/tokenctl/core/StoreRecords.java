package dev.tokenctl.core;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a verifier's records to the store: last uses gathered and written together, in one
 * transaction and one batch of statements per 500 tokens or per second and on {@link #flush}, so
 * a batch does not pay a commit or a round trip per token; a denied verify audited at once, at
 * most once a minute per token and reason.
 */
public final class StoreRecords implements Verifier.Records {
    private static final long FLUSH_NANOS = 1_000_000_000L;
    private static final int FLUSH_COUNT = 500;

    private final Session session;
    private final Store store;
    private final Map<String, Store.Use> pendingUses = new LinkedHashMap<>();
    private long flushedAt = System.nanoTime();

    public StoreRecords(Session session) {
        this.session = session;
        this.store = session.store();
    }

    @Override
    public void used(String tokenId, Instant at, String address) {
        pendingUses.putIfAbsent(tokenId, new Store.Use(tokenId, at, address));
        if (pendingUses.size() >= FLUSH_COUNT || System.nanoTime() - flushedAt > FLUSH_NANOS) {
            flush();
        }
    }

    @Override
    public void denied(String tokenId, String details) {
        store.transaction(() -> {
            Optional<Instant> last = store.lastAudit(tokenId, "verify-denied", details);
            if (last.isEmpty() || !session.now().isBefore(last.get().plus(Verifier.RECORD_INTERVAL))) {
                session.audit("verify-denied", tokenId, details);
            }
            return null;
        });
    }

    @Override
    public void flush() {
        flushedAt = System.nanoTime();
        if (pendingUses.isEmpty()) {
            return;
        }
        store.transaction(() -> {
            store.recordUses(List.copyOf(pendingUses.values()));
            return null;
        });
        pendingUses.clear();
    }
}
