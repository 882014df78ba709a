package dev.tokenctl.core;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Gathers the lookups of many threads into few queries: one query runs at a time, and the calls
 * that arrive while it runs wait and are answered together by the next one, which one of them
 * runs for all. A call is never answered by a query that had begun before it arrived, so an
 * answer is as fresh as a query of its own would have been. Every caller of a query gets its
 * whole result, for all the keys asked together, or its failure.
 */
public final class Coalescer<K, R> {
    private final ReentrantLock lock = new ReentrantLock();
    /** Whether a query is running. */
    private boolean running;
    /** The query that calls arriving now join; null when none has arrived since the last began. */
    private Query<K, R> next;

    /** One query: the keys of every call that joined it and, once it has ended, what it gave. */
    private static final class Query<K, R> {
        /**
         * Signalled to all its callers when it has ended, and before that to one of them when
         * the query before it ends: that one runs it. Only the calls that can go on are woken.
         */
        final Condition turn;
        final Set<K> keys = new LinkedHashSet<>();
        int callers;
        boolean ended;
        R result;
        Throwable failure;

        Query(Condition turn) {
            this.turn = turn;
        }
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
        lock.lock();
        try {
            if (next == null) {
                next = new Query<>(lock.newCondition());
            }
            mine = next;
            mine.keys.addAll(keys);
            mine.callers++;
            while (running && !mine.ended) {
                mine.turn.awaitUninterruptibly();
            }
            if (!mine.ended) {
                running = true;
                next = null;
            }
        } finally {
            lock.unlock();
        }
        if (!mine.ended) {
            run(mine, query);
        }
        if (mine.failure instanceof RuntimeException e) {
            throw e;
        } else if (mine.failure != null) {
            throw (Error) mine.failure;
        }
        return mine.result;
    }

    private void run(Query<K, R> mine, Function<Set<K>, R> query) {
        R result = null;
        Throwable failure = null;
        try {
            result = query.apply(Collections.unmodifiableSet(mine.keys));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        lock.lock();
        try {
            mine.result = result;
            mine.failure = failure;
            mine.ended = true;
            running = false;
            mine.turn.signalAll();
            if (next != null) {
                next.turn.signal();
            }
        } finally {
            lock.unlock();
        }
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
