package dev.tokenctl.http;

import dev.tokenctl.app.Application;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Applications for the server's threads, each with its own store connection (an application
 * is not thread-safe): lent for a request and given back; one whose store failed is closed, and
 * a new one connects again on the next request. When the store's file has been replaced or
 * deleted since a connection opened it, every connection is closed before a new one opens the
 * path: SQLite keeps a database's write-ahead log beside it by name, and a connection left on
 * the old file could write the old file's pages into the new file's log, or remove it.
 */
final class Pool implements AutoCloseable {
    private final Supplier<Application> applications;
    private final BlockingQueue<Application> idle;
    /** Held, shared, by every lease; taken alone to close every connection to a file that was replaced. */
    private final ReadWriteLock gate = new ReentrantReadWriteLock();

    Pool(Supplier<Application> applications, int size) {
        this.applications = applications;
        this.idle = new ArrayBlockingQueue<>(size);
    }

    /**
     * An application for one use: {@link Lease#keep} once its store has answered, and close the
     * lease, which gives it back then, and closes it otherwise.
     */
    final class Lease implements AutoCloseable {
        private final Application application;
        private boolean kept;

        private Lease(Application application) {
            this.application = application;
        }

        Application application() {
            return application;
        }

        /** The store answered: the application may serve another request. */
        void keep() {
            kept = true;
        }

        @Override
        public void close() {
            try {
                if (!kept || !idle.offer(application)) {
                    application.close();
                }
            } finally {
                gate.readLock().unlock();
            }
        }
    }

    /** An idle application whose store is still current, else a new one. */
    Lease lease() {
        Application application = idle.poll();
        if (application != null && !application.current()) {
            application.close();
            closeAll();
            application = null;
        }
        gate.readLock().lock();
        try {
            return new Lease(application != null ? application : applications.get());
        } catch (RuntimeException | Error e) {
            gate.readLock().unlock();
            throw e;
        }
    }

    /** Waits for every lease out to come back, then closes every application kept. */
    private void closeAll() {
        gate.writeLock().lock();
        try {
            close();
        } finally {
            gate.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        for (Application application = idle.poll(); application != null; application = idle.poll()) {
            application.close();
        }
    }
}
