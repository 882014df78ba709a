package dev.tokenctl.http;

import dev.tokenctl.app.Application;
import dev.tokenctl.app.ServeOptions;
import dev.tokenctl.app.Server;
import dev.tokenctl.core.Store;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.TokenFormat;
import dev.tokenctl.core.TokenctlException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * {@code tokenctl serve}: Netty's HTTP/1.1 server (NIO, no native code) in front of the
 * {@link Endpoints}, each answer counted and logged by {@link Observed}. One event loop reads and
 * writes every connection ({@link Connections} keeps their limits); each request is answered on
 * a fixed pool of threads that each borrow an application, and so a store connection, so that a
 * slow store never holds up other connections. Answers on one connection go out in the order the
 * requests came. {@link Running#close} stops it: no new connections, requests in flight finished
 * (at most 10 s), pending records written.
 */
public final class HttpServerFace implements Server {
    /** Threads that answer: more than the connections a gateway keeps busy, so a stalled store call stalls few. */
    private static final int THREADS = 16;
    /** Store connections kept open between requests. */
    private static final int CONNECTIONS = 16;
    private static final int STOP_SECONDS = 10;

    /** An id no store holds: ids are random, and the chance of this one is 62^-16. */
    private static final String UNKNOWN_ID = "tctl_0000000000000000";

    private final Connections.Limits limits;

    public HttpServerFace() {
        this(Connections.Limits.DEFAULT);
    }

    /** A server with other limits than the default: tests wait less and fill a smaller cap. */
    HttpServerFace(Connections.Limits limits) {
        this.limits = limits;
    }

    @Override
    public Running start(ServeOptions options, Supplier<Application> applications, PrintWriter out, PrintWriter err) {
        InetSocketAddress address = address(options);
        SSLContext tls = options.tlsCertificate() == null ? null
                : Pem.context(options.tlsCertificate(), options.tlsKey(), new Date());
        ClientAddress clients = new ClientAddress(options.trustedProxies());
        AccessLog log = AccessLog.open(options.accessLog(), out);
        ThreadFactory daemons = r -> {
            Thread thread = new Thread(r, "http");
            thread.setDaemon(true);
            return thread;
        };
        // One event loop: Connections' bookkeeping relies on it.
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, daemons, NioIoHandler.newFactory());
        ExecutorService threads = Executors.newFixedThreadPool(THREADS, daemons);
        Pool pool = new Pool(applications, CONNECTIONS);
        RecordWriter records = new RecordWriter(pool, err);
        Metrics metrics = new Metrics();
        Endpoints endpoints = new Endpoints(pool, records, clients, options, metrics);
        Started started = new Started(loops, threads, pool, records, endpoints, log, err);
        try {
            // The store is opened, and a first check's code run, while the server binds.
            CompletableFuture<String> store = CompletableFuture.supplyAsync(() -> warmUp(pool, records), threads);
            Observed observed = new Observed(endpoints, metrics, log, err);
            started.server = bind(address, loops, new Connections(observed, threads, tls, limits));
            err.println("tokenctl: serving on " + (tls == null ? "http" : "https") + "://"
                    + hostPort(started.address()) + " (store: " + described(store) + ")");
            err.flush();
            return started;
        } catch (RuntimeException e) {
            started.release();
            throw e;
        }
    }

    /** A server that has bound its address; what {@link #close} stops. */
    private static final class Started implements Running {
        private final EventLoopGroup loops;
        private final ExecutorService threads;
        private final Pool pool;
        private final RecordWriter records;
        private final Endpoints endpoints;
        private final AccessLog log;
        private final PrintWriter err;
        private Channel server;
        private boolean closed;

        Started(EventLoopGroup loops, ExecutorService threads, Pool pool, RecordWriter records, Endpoints endpoints,
                AccessLog log, PrintWriter err) {
            this.loops = loops;
            this.threads = threads;
            this.pool = pool;
            this.records = records;
            this.endpoints = endpoints;
            this.log = log;
            this.err = err;
        }

        @Override
        public InetSocketAddress address() {
            return (InetSocketAddress) server.localAddress();
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            server.close().awaitUninterruptibly();
            release();
            err.println("tokenctl: stopped");
            err.flush();
        }

        /**
         * Lets the requests in flight be answered (their threads finish within STOP_SECONDS; after
         * a start that failed, the warm-up's), then writes the pending records within the same
         * deadline, with at least a second for them, and closes the rest.
         */
        void release() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_SECONDS);
            threads.shutdown();
            try {
                threads.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS);
                records.finishBy(Math.max(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(1)));
                records.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            endpoints.close();
            pool.close();
            log.close();
            // The last answers are written by the event loop, after the threads that made them.
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
            threads.shutdownNow();
        }
    }

    private static Channel bind(InetSocketAddress address, EventLoopGroup loops, Connections connections) {
        try {
            return new ServerBootstrap()
                    .group(loops)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    // Plain heap buffers: as fast here as pooled ones, without their arenas' memory.
                    .option(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT)
                    .childOption(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // Answers a client has not read hold at most this much memory before its requests wait.
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                    .childHandler(connections)
                    .bind(address).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TokenctlException.invalid("cannot listen on " + hostPort(address) + ": interrupted");
        } catch (Exception e) {
            // Netty passes on the socket's own exceptions, checked or not.
            String why = Text.quoteSafe(String.valueOf(e.getMessage()), 200);
            throw TokenctlException.invalid("cannot listen on " + hostPort(address) + ": " + why
                    + (why.contains("in use")
                    ? " (choose another --listen address or port, or stop what uses it)" : " (check the --listen address)"));
        }
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

    /** The warm-up's description of the store, waiting for it at most a few seconds: a hung store holds up no signal. */
    private static String described(CompletableFuture<String> store) {
        return store.completeOnTimeout("not answering yet", STOP_SECONDS / 2, TimeUnit.SECONDS).join();
    }

    /**
     * The store's engine and location (never a password), or why it cannot be used yet; checks
     * a token that no store holds on the way, so that a first request finds the code it runs
     * (address parsing, the digest, the store's statements) loaded and ready. Nothing is recorded.
     */
    private static String warmUp(Pool pool, RecordWriter records) {
        try (Pool.Lease lease = pool.lease()) {
            Application application = lease.application();
            Store.Description description = application.store().describe();
            String unknown = new TokenFormat(new SecureRandom()).newToken(UNKNOWN_ID);
            application.tokens().verifier(ClientAddress.parse("127.0.0.1"), Set.of(), records).verify(unknown);
            TokenFormat.digest(unknown);
            lease.keep();
            return description.engine() + " " + description.location();
        } catch (RuntimeException e) {
            return "not available yet: " + Text.quoteSafe(String.valueOf(e.getMessage()), 400);
        }
    }

    static String hostPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
