package dev.tokenctl.http;

import dev.tokenctl.app.Application;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/**
 * Applications for the server's threads, each with its own store connection (an application
 * is not thread-safe): borrowed for a request and given back; one whose store failed is
 * closed, and a new one connects again on the next request.
 */
final class Pool implements AutoCloseable {
    private final Supplier<Application> applications;
    private final BlockingQueue<Application> idle;

    Pool(Supplier<Application> applications, int size) {
        this.applications = applications;
        this.idle = new ArrayBlockingQueue<>(size);
    }

    Application borrow() {
        Application application = idle.poll();
        return application != null ? application : applications.get();
    }

    void release(Application application) {
        if (!idle.offer(application)) {
            application.close();
        }
    }

    void discard(Application application) {
        application.close();
    }

    @Override
    public void close() {
        for (Application application = idle.poll(); application != null; application = idle.poll()) {
            application.close();
        }
    }
}
