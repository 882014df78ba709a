package dev.tokenctl.app;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * A face that runs until it is closed, such as the HTTP check: what {@code tokenctl serve}
 * starts. Signals are the command's business; tests and training start and close it directly.
 */
public interface Server {
    /**
     * Starts serving and returns once the address is bound; the first line on {@code err} says where.
     *
     * @param applications makes an application on the selected store, one for each thread that needs one
     * @param out where an access log of {@code -} goes
     * @param err where the lines on start and stop, and on a request that failed inside, go
     * @throws dev.tokenctl.core.TokenctlException INVALID for options that cannot be served (exit 2)
     */
    Running start(ServeOptions options, Supplier<Application> applications, PrintWriter out, PrintWriter err);

    /** A started server. */
    interface Running extends AutoCloseable {
        /** The address bound, with the port chosen when 0 was asked for. */
        InetSocketAddress address();

        /**
         * Stops: no new connections, the requests in flight answered and the pending records
         * written within one deadline, then "stopped" on the error stream.
         */
        @Override
        void close();
    }
}
