package dev.tokenctl.http;

import dev.tokenctl.app.Application;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/**
 * Applications for the server's threads, each with its own store connection (an application
 * is not thread-safe): lent for a request and given back; one whose store failed, or whose
 * store file was replaced or deleted since it opened it, is closed, and a new one connects
 * again to the store its location names then.
 */
final class Pool implements AutoCloseable {
    private final Supplier<Application> applications;
    private final BlockingQueue<Application> idle;

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
            if (!kept || !idle.offer(application)) {
                application.close();
            }
        }
    }

    /** An idle application whose store is still current, else a new one; the stale are closed on the way. */
    Lease lease() {
        for (Application application = idle.poll(); application != null; application = idle.poll()) {
            if (application.current()) {
                return new Lease(application);
            }
            application.close();
        }
        return new Lease(applications.get());
    }

    @Override
    public void close() {
        for (Application application = idle.poll(); application != null; application = idle.poll()) {
            application.close();
        }
    }
}
