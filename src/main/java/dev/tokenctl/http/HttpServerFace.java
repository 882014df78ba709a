package dev.tokenctl.http;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tokenctl.app.Application;
import dev.tokenctl.app.ServeOptions;
import dev.tokenctl.app.Server;
import dev.tokenctl.core.Store;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.TokenctlException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Date;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * {@code tokenctl serve}: the JDK's own HTTP server (no dependency, a few milliseconds to start)
 * in front of {@link Checks}, on a fixed pool of threads that each borrow an application, and so
 * a store connection, for a request. Stops on SIGTERM or SIGINT: no new connections, requests in
 * flight finished (at most 10 s), pending records written.
 */
public final class HttpServerFace implements Server {
    /** Threads for requests: more than the connections a gateway keeps open, so that a few stalled clients stall no one else. */
    private static final int THREADS = 64;
    /** Store connections kept open between requests. */
    private static final int CONNECTIONS = 16;
    private static final int STOP_SECONDS = 10;

    @Override
    public void serve(ServeOptions options, Supplier<Application> applications, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        InetSocketAddress address = address(options);
        SSLContext tls = options.tlsCertificate() == null ? null
                : Pem.context(options.tlsCertificate(), options.tlsKey(), new Date());
        ClientAddress clients = new ClientAddress(options.trustedProxies());
        // A slow or stuck client may hold a thread only this long; read before the server class loads.
        System.setProperty("sun.net.httpserver.maxReqTime", "10");
        System.setProperty("sun.net.httpserver.maxRspTime", "10");
        System.setProperty("sun.net.httpserver.maxReqHeaders", "100");
        // Headers and body go out as one segment, not two held back by Nagle against delayed acks (40 ms each).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try (AccessLog log = AccessLog.open(options.accessLog(), out);
             Pool pool = new Pool(applications, CONNECTIONS);
             RecordWriter records = new RecordWriter(applications, err)) {
            String store = describe(pool);
            HttpServer server = bind(address, tls);
            ExecutorService threads = Executors.newFixedThreadPool(THREADS, r -> {
                Thread thread = new Thread(r, "http");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(threads);
            Checks checks = new Checks(pool, records, clients, options, log, new Metrics());
            server.createContext("/", checks);
            CountDownLatch stop = new CountDownLatch(1);
            for (String signal : new String[] {"TERM", "INT"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stop.countDown());
            }
            server.start();
            err.println("tokenctl: serving on " + (tls == null ? "http" : "https") + "://" + hostPort(server.getAddress())
                    + " (store: " + store + ")");
            err.flush();
            stop.await();
            // The JDK's server stops accepting at once but then waits out the whole delay, idle
            // or not: stop it on the side, and wait here only for the requests in flight.
            Thread stopper = new Thread(() -> server.stop(STOP_SECONDS), "stop");
            stopper.setDaemon(true);
            stopper.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_SECONDS);
            do {
                Thread.sleep(20);
            } while (checks.inFlight() > 0 && System.nanoTime() < deadline);
            threads.shutdown();
        }
        err.println("tokenctl: stopped");
        err.flush();
    }

    /** The address to listen on; a non-loopback one only with TLS, or with --insecure. */
    private static InetSocketAddress address(ServeOptions options) {
        InetAddress host;
        try {
            host = InetAddress.getByName(options.host());
        } catch (UnknownHostException e) {
            throw TokenctlException.invalid("--listen host '" + Text.quoteSafe(options.host()) + "' is unknown"
                    + " (give an address such as 127.0.0.1 or [::1])");
        }
        if (!host.isLoopbackAddress() && options.tlsCertificate() == null && !options.insecure()) {
            throw TokenctlException.invalid("--listen " + Text.quoteSafe(options.host()) + ":" + options.port()
                    + " is not a loopback address, and tokens would cross the network in plain text"
                    + " (give --tls-cert and --tls-key, or --insecure behind a trusted network)");
        }
        return new InetSocketAddress(host, options.port());
    }

    private static HttpServer bind(InetSocketAddress address, SSLContext tls) {
        try {
            if (tls == null) {
                return HttpServer.create(address, 1024);
            }
            HttpsServer server = HttpsServer.create(address, 1024);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            return server;
        } catch (BindException e) {
            throw TokenctlException.invalid("cannot listen on " + hostPort(address) + ": "
                    + Text.quoteSafe(String.valueOf(e.getMessage()), 200)
                    + " (choose another --listen address or port, or stop what uses it)");
        } catch (IOException | RuntimeException e) {
            throw TokenctlException.invalid("cannot listen on " + hostPort(address) + ": "
                    + Text.quoteSafe(String.valueOf(e.getMessage()), 200) + " (check the --listen address)");
        }
    }

    /** The store's engine and location (never a password), or why it cannot be used yet. */
    private static String describe(Pool pool) {
        Application application = pool.borrow();
        try {
            Store.Description description = application.store().describe();
            pool.release(application);
            return description.engine() + " " + description.location();
        } catch (RuntimeException e) {
            pool.discard(application);
            return "not available yet: " + Text.quoteSafe(String.valueOf(e.getMessage()), 400);
        }
    }

    static String hostPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
