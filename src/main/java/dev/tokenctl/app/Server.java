package dev.tokenctl.app;

import java.io.PrintWriter;
import java.util.function.Supplier;

/** A face that runs until it is stopped, such as the HTTP check: what {@code tokenctl serve} starts. */
public interface Server {
    /**
     * Serves until SIGTERM or SIGINT, then finishes what is in flight and returns.
     *
     * @param applications makes an application on the selected store, one for each thread that needs one
     * @param out where an access log of {@code -} goes
     * @param err where the lines on start and stop go
     * @throws dev.tokenctl.core.TokenctlException INVALID for options that cannot be served (exit 2)
     */
    void serve(ServeOptions options, Supplier<Application> applications, PrintWriter out, PrintWriter err)
            throws InterruptedException;
}
