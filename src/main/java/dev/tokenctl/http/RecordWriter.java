package dev.tokenctl.http;

import dev.tokenctl.core.StoreRecords;
import dev.tokenctl.core.Verifier;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Takes the last uses and denied-verify records of every request and writes them on one
 * background thread, with the store's own rules ({@link StoreRecords}): nothing on the request
 * path waits for a write, so a writer holding the store's lock delays no answer. Records that
 * arrive while the queue is full are dropped and counted: a last use is a hint, and a flood of
 * denied attempts is audited once a minute per token anyway.
 */
final class RecordWriter implements Verifier.Records, AutoCloseable {
    private static final int CAPACITY = 100_000;

    private sealed interface Record permits Use, Denial, Stop {
    }

    private record Use(String tokenId, Instant at, String address) implements Record {
    }

    private record Denial(String tokenId, String details) implements Record {
    }

    /** Put in the queue by close, so that the writer need not wait out its poll to see it. */
    private record Stop() implements Record {
    }

    private final BlockingQueue<Record> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Pool pool;
    private final PrintWriter err;
    private final Thread thread;
    private volatile boolean closing;
    /** When set, the System.nanoTime() by which close stops waiting. */
    private Long finishBy;
    private long dropped;

    /** {@code pool}: the server's, so that a store file replaced is left by the writer too (see {@link Pool}). */
    RecordWriter(Pool pool, PrintWriter err) {
        this.pool = pool;
        this.err = err;
        thread = new Thread(this::run, "record-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void used(String tokenId, Instant at, String address) {
        offer(new Use(tokenId, at, address));
    }

    @Override
    public void denied(String tokenId, String details) {
        offer(new Denial(tokenId, details));
    }

    /** Nothing to do on the request path: the writer flushes every second and on close. */
    @Override
    public void flush() {
    }

    private void offer(Record record) {
        if (!queue.offer(record)) {
            synchronized (this) {
                dropped++;
            }
        }
    }

    synchronized long dropped() {
        return dropped;
    }

    private void run() {
        boolean failing = false;
        while (!closing || !queue.isEmpty()) {
            try {
                Record record = queue.poll(1, TimeUnit.SECONDS);
                if (record == null || record instanceof Stop) {
                    continue;
                }
                // What has arrived is written in one go, with an application lent for it.
                try (Pool.Lease lease = pool.lease()) {
                    StoreRecords records = new StoreRecords(lease.application().session());
                    for (; record != null; record = queue.poll()) {
                        if (record instanceof Use use) {
                            records.used(use.tokenId(), use.at(), use.address());
                        } else if (record instanceof Denial denial) {
                            records.denied(denial.tokenId(), denial.details());
                        }
                    }
                    records.flush();
                    lease.application().store().checkpoint();
                    lease.keep();
                }
                failing = false;
            } catch (InterruptedException e) {
                closing = true;
            } catch (RuntimeException e) {
                // The store is away: what was taken is lost, the rest waits for it to come back.
                if (!failing) {
                    err.println("tokenctl: warning: cannot record last uses and denied checks: "
                            + dev.tokenctl.core.Text.quoteSafe(String.valueOf(e.getMessage()), 400));
                    failing = true;
                }
                sleep();
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sets when {@link #close} stops waiting for what is queued: the server's stop has one deadline. */
    void finishBy(long nanoTime) {
        finishBy = nanoTime;
    }

    /** Writes what is queued, waiting for it until the deadline set, at most 10 s from now. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        queue.offer(new Stop());
        long wait = TimeUnit.SECONDS.toNanos(10);
        if (finishBy != null) {
            wait = Math.min(wait, finishBy - System.nanoTime());
        }
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
    }
}
