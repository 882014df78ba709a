package dev.tokenctl.core;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Gathers the lookups of many threads into few queries: one query runs at a time, and the calls
 * that arrive while it runs wait and are answered together by the next one, which the first of
 * them runs for all. A call is never answered by a query that had begun before it arrived, so an
 * answer is as fresh as a query of its own would have been. Every caller of a query gets its
 * whole result, for all the keys asked together, or its failure.
 */
public final class Coalescer<K, R> {
    private final ReentrantLock lock = new ReentrantLock();
    /** The query begun last: the one running, if any is. */
    private Query<K, R> last;
    /** The query that calls arriving now join; null when none has arrived since the last began. */
    private Query<K, R> next;

    /** One query: the keys of every call that joined it and, once it has ended, what it gave. */
    private static final class Query<K, R> {
        final Set<K> keys = new LinkedHashSet<>();
        /**
         * Completed when it has ended, by the thread that ran it, which so wakes each waiting
         * caller itself, and the one that runs the query after it.
         */
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        int callers;
        R result;
        Throwable failure;
    }

    /**
     * The result of {@code query} for {@code keys} and those of the calls gathered with them:
     * run by this thread with its own {@code query}, or by another caller with theirs. Waits
     * while a query runs; the query that answers begins after this call.
     *
     * @throws RuntimeException or Error: what the query that answers threw, to each of its callers
     */
    public R get(Collection<K> keys, Function<Set<K>, R> query) {
        Query<K, R> mine;
        Query<K, R> before = null;
        boolean runs = false;
        lock.lock();
        try {
            if (next == null) {
                next = new Query<>();
                runs = true;
                before = last;
            }
            mine = next;
            mine.keys.addAll(keys);
            mine.callers++;
        } finally {
            lock.unlock();
        }
        if (runs) {
            if (before != null) {
                before.ended.join();
            }
            lock.lock();
            try {
                last = mine;
                next = null;
            } finally {
                lock.unlock();
            }
            run(mine, query);
        } else {
            mine.ended.join();
        }
        if (mine.failure instanceof RuntimeException e) {
            throw e;
        } else if (mine.failure != null) {
            throw (Error) mine.failure;
        }
        return mine.result;
    }

    private static <K, R> void run(Query<K, R> mine, Function<Set<K>, R> query) {
        try {
            mine.result = query.apply(Collections.unmodifiableSet(mine.keys));
        } catch (RuntimeException | Error e) {
            mine.failure = e;
        }
        mine.ended.complete(null);
    }

    /** How many calls wait to be answered by the next query: for tests, to know that a call has arrived. */
    int waiting() {
        lock.lock();
        try {
            return next == null ? 0 : next.callers;
        } finally {
            lock.unlock();
        }
    }
}
