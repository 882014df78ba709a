package dev.tokenctl.core;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a verifier's records to the store: last uses gathered and written together, in one
 * transaction and one batch of statements per 500 tokens or per second (by the session's
 * clock) and on {@link #flush}, so a batch does not pay a commit or a round trip per token; a
 * denied verify audited at once, at most once a minute per token and reason.
 */
public final class StoreRecords implements Verifier.Records {
    private static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);
    private static final int FLUSH_COUNT = 500;

    private final Session session;
    private final Store store;
    private final Map<String, Store.Use> pendingUses = new LinkedHashMap<>();
    private Instant flushedAt;

    public StoreRecords(Session session) {
        this.session = session;
        this.store = session.store();
        flushedAt = session.now();
    }

    @Override
    public void used(String tokenId, Instant at, String address) {
        pendingUses.putIfAbsent(tokenId, new Store.Use(tokenId, at, address));
        Instant now = session.now();
        // A second by the session's clock, or at once when that clock went back.
        if (pendingUses.size() >= FLUSH_COUNT || now.isAfter(flushedAt.plus(FLUSH_INTERVAL)) || now.isBefore(flushedAt)) {
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
        flushedAt = session.now();
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
