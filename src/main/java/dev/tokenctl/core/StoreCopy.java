package dev.tokenctl.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Copies a store into an empty one, of either engine: the way a team moves its file to a shared server. */
public final class StoreCopy {
    private static final int BATCH = 500;

    private StoreCopy() {
    }

    /**
     * Copies every filter, the policy, every token with the digest of its secret, and every audit
     * event from {@code from} into {@code to}, then compares the counts of both. It runs in one
     * transaction on each store, so other writers wait, and on any failure nothing is written.
     *
     * @return what was copied
     * @throws TokenctlException CONFLICT when {@code to} is not empty, STORAGE when the counts differ
     */
    public static Store.Counts copy(Store from, Store to, Instant now) {
        String target = to.describe().location();
        if (from.describe().location().equals(target)) {
            throw TokenctlException.invalid("the target " + target + " is the store being copied (name another store with --to)");
        }
        // Checked before taking the locks too: the same store named another way is not empty,
        // and it would otherwise wait on its own lock.
        checkEmpty(to, target, now);
        return from.transaction(() -> to.transaction(() -> {
            checkEmpty(to, target, now);
            from.ipFilters().forEach(to::insertIpFilter);
            to.savePolicy(from.policy());
            StoreCopy.<String>inBatches(ids -> from.forEachToken(new TokenQuery(EnumSet.allOf(Token.Status.class), now, null),
                    token -> ids.accept(token.id())), ids -> copyTokens(from, to, ids));
            StoreCopy.<AuditEvent>inBatches(events -> from.forEachAudit(null, null, events), to::audit);
            Store.Counts copied = from.counts(now);
            Store.Counts landed = to.counts(now);
            if (!copied.equals(landed)) {
                throw new TokenctlException(TokenctlException.Kind.STORAGE, "the copy does not match: the source holds "
                        + copied + " and the target " + landed + "; nothing was copied (report this as a bug)");
            }
            return copied;
        }));
    }

    private static void checkEmpty(Store to, String target, Instant now) {
        Store.Counts existing = to.counts(now);
        if (!existing.empty()) {
            throw TokenctlException.conflict("the target store " + target + " is not empty: it holds "
                    + Text.count(existing.tokens(), "token") + ", " + Text.count(existing.ipFilters(), "IP filter")
                    + " and " + Text.count(existing.auditEvents(), "audit event") + " (copy into a new store)");
        }
    }

    private static void copyTokens(Store from, Store to, List<String> ids) {
        Map<String, Store.Credential> credentials = from.credentials(ids);
        to.insertTokens(ids.stream().map(credentials::get).toList());
    }

    /** Hands what {@code source} streams to {@code sink} in lists of up to {@link #BATCH}, the last one maybe empty. */
    private static <T> void inBatches(Consumer<Consumer<T>> source, Consumer<List<T>> sink) {
        List<T> batch = new ArrayList<>(BATCH);
        source.accept(item -> {
            batch.add(item);
            if (batch.size() == BATCH) {
                sink.accept(batch);
                batch.clear();
            }
        });
        sink.accept(batch);
    }
}
