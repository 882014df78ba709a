package dev.tokenctl.http;

import dev.tokenctl.app.Application;
import dev.tokenctl.app.ServeOptions;
import dev.tokenctl.app.Server;
import dev.tokenctl.core.Store;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.TokenFormat;
import dev.tokenctl.core.TokenctlException;
import inet.ipaddr.IPAddress;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * {@code tokenctl serve}: Netty's HTTP/1.1 server (NIO, no native code) in front of
 * {@link Checks}. The event loops only read and write; each request is answered on a fixed pool
 * of threads that each borrow an application, and so a store connection, so that a slow store
 * never holds up other connections. Answers on one connection go out in the order the requests
 * came. Stops on SIGTERM or SIGINT: no new connections, requests in flight finished (at most
 * 10 s), pending records written.
 */
public final class HttpServerFace implements Server {
    /** Threads that answer: more than the connections a gateway keeps busy, so a stalled store call stalls few. */
    private static final int THREADS = 16;
    /** Store connections kept open between requests. */
    private static final int CONNECTIONS = 16;
    private static final int STOP_SECONDS = 10;
    /** A request must arrive whole within this after its first byte; a slow client is cut off. */
    private static final int REQUEST_SECONDS = 10;
    /** A kept-alive connection with nothing to say for this long is closed (gateways keep theirs 60 s). */
    private static final int IDLE_SECONDS = 120;
    /**
     * Open connections at most; one more is closed at once. Far more than a gateway's pool, and
     * few enough that idle or stalled clients cannot take the process's file descriptors.
     */
    static final int MAX_CONNECTIONS = 1024;
    /** The largest request line and header section; beyond it, 414 or 431 and the connection closed. */
    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_HEADERS = 16 * 1024;

    /** An id no store holds: ids are random, and the chance of this one is 62^-16. */
    private static final String UNKNOWN_ID = "tctl_0000000000000000";

    private final long requestMillis;

    public HttpServerFace() {
        this(TimeUnit.SECONDS.toMillis(REQUEST_SECONDS));
    }

    /** A server that gives a request {@code requestMillis} to arrive whole: tests wait less than REQUEST_SECONDS. */
    HttpServerFace(long requestMillis) {
        this.requestMillis = requestMillis;
    }

    @Override
    public void serve(ServeOptions options, Supplier<Application> applications, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        InetSocketAddress address = address(options);
        SSLContext tls = options.tlsCertificate() == null ? null
                : Pem.context(options.tlsCertificate(), options.tlsKey(), new Date());
        ClientAddress clients = new ClientAddress(options.trustedProxies());
        ThreadFactory daemons = r -> {
            Thread thread = new Thread(r, "http");
            thread.setDaemon(true);
            return thread;
        };
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, daemons, NioIoHandler.newFactory());
        ExecutorService threads = Executors.newFixedThreadPool(THREADS, daemons);
        try (AccessLog log = AccessLog.open(options.accessLog(), out);
             Pool pool = new Pool(applications, CONNECTIONS);
             RecordWriter records = new RecordWriter(applications, err)) {
            // The store is opened, and a first check's code run, while the server binds.
            CompletableFuture<String> store = CompletableFuture.supplyAsync(() -> warmUp(pool, records), threads);
            Checks checks = new Checks(pool, records, clients, options, log, new Metrics());
            Channel server = bind(address, loops, new Connections(checks, threads, tls, requestMillis));
            CountDownLatch stop = new CountDownLatch(1);
            for (String signal : new String[] {"TERM", "INT"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stop.countDown());
            }
            err.println("tokenctl: serving on " + (tls == null ? "http" : "https") + "://"
                    + hostPort((InetSocketAddress) server.localAddress()) + " (store: " + described(store) + ")");
            err.flush();
            stop.await();
            server.close().awaitUninterruptibly();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_SECONDS);
            // The requests in flight are answered: their threads finish within the deadline.
            threads.shutdown();
            threads.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS);
            // The pending records within the same deadline, with at least a second for them.
            records.finishBy(Math.max(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(1)));
        } finally {
            // The last answers are written by the event loop, after the threads that made them.
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
            threads.shutdownNow();
        }
        err.println("tokenctl: stopped");
        err.flush();
    }

    /** Each connection's pipeline: TLS when asked, HTTP/1.1 with limits, and the checks. */
    private static final class Connections extends ChannelInitializer<SocketChannel> {
        private final Checks checks;
        private final ExecutorService threads;
        private final SSLContext tls;
        private final long requestMillis;
        private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();

        Connections(Checks checks, ExecutorService threads, SSLContext tls, long requestMillis) {
            this.checks = checks;
            this.threads = threads;
            this.tls = tls;
            this.requestMillis = requestMillis;
        }

        @Override
        protected void initChannel(SocketChannel channel) {
            if (open.incrementAndGet() > MAX_CONNECTIONS) {
                open.decrementAndGet();
                channel.close();
                return;
            }
            channel.closeFuture().addListener(closed -> open.decrementAndGet());
            ChannelPipeline pipeline = channel.pipeline();
            if (tls != null) {
                SSLEngine engine = tls.createSSLEngine();
                engine.setUseClientMode(false);
                pipeline.addLast(new SslHandler(engine));
            }
            pipeline.addLast(new IdleStateHandler(0, 0, IDLE_SECONDS),
                    new SlowRequests(requestMillis),
                    new HttpServerCodec(MAX_LINE, MAX_HEADERS, 8192),
                    new HttpObjectAggregator(4 * Checks.MAX_FORM),
                    new Requests(checks, threads));
        }
    }

    /**
     * Cuts off a client whose request has not arrived whole within REQUEST_SECONDS of its first
     * byte (the clock starts at the bytes, so a header section sent slowly counts), and a
     * connection that idles too long.
     */
    private static final class SlowRequests extends ChannelInboundHandlerAdapter {
        private final long requestMillis;
        private ScheduledFuture<?> deadline;

        SlowRequests(long requestMillis) {
            this.requestMillis = requestMillis;
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if (deadline == null) {
                deadline = context.executor().schedule(() -> {
                    context.close();
                }, requestMillis, TimeUnit.MILLISECONDS);
            }
            context.fireChannelRead(message);
        }

        /** A whole request has arrived: the clock stops until the next bytes. */
        void arrived() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext context, Object event) {
            if (event instanceof IdleStateEvent) {
                context.close();
            } else {
                context.fireUserEventTriggered(event);
            }
        }
    }

    /**
     * Answers a connection's requests one at a time, each on a thread of the pool, in the order
     * they came. A client that sends many requests without reading the answers is not read
     * until they are answered.
     */
    private static final class Requests extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Checks checks;
        private final ExecutorService threads;
        /** Requests of one connection waiting for an answer before the connection is no longer read. */
        private static final int PIPELINED = 8;
        private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
        private boolean busy;
        /** The connection's address, parsed once for all its requests. */
        private IPAddress peer;

        Requests(Checks checks, ExecutorService threads) {
            super(false);
            this.checks = checks;
            this.threads = threads;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
            SlowRequests clock = context.pipeline().get(SlowRequests.class);
            if (clock != null) {
                clock.arrived();
            }
            waiting.add(request);
            if (waiting.size() > PIPELINED) {
                context.channel().config().setAutoRead(false);
            }
            next(context);
        }

        /**
         * Starts on the next request, if none is being answered and the client has read the
         * answers before (else it waits for {@link #channelWritabilityChanged}); on the
         * connection's event loop.
         */
        private void next(ChannelHandlerContext context) {
            if (busy) {
                return;
            }
            if (!context.channel().isWritable()) {
                context.channel().config().setAutoRead(false);
                return;
            }
            FullHttpRequest request = waiting.poll();
            if (request == null) {
                if (!context.channel().config().isAutoRead()) {
                    context.channel().config().setAutoRead(true);
                }
                return;
            }
            if (request.decoderResult().isFailure()) {
                Throwable cause = request.decoderResult().cause();
                request.release();
                HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                        : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                        : HttpResponseStatus.BAD_REQUEST;
                FullHttpResponse response = Checks.send(status, "application/json", "{\"error\":\"invalid_request\"}");
                HttpUtil.setKeepAlive(response, false);
                context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            busy = true;
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (peer == null) {
                peer = ClientAddress.parse(((InetSocketAddress) context.channel().remoteAddress()).getAddress().getHostAddress());
            }
            IPAddress peer = this.peer;
            try {
                threads.execute(() -> {
                    FullHttpResponse response;
                    try {
                        response = checks.answer(request, peer);
                    } catch (RuntimeException e) {
                        response = null;
                    } finally {
                        request.release();
                    }
                    FullHttpResponse answer = response;
                    context.executor().execute(() -> written(context, answer, keepAlive));
                });
            } catch (RejectedExecutionException e) {
                request.release();
                context.close();
            }
        }

        private void written(ChannelHandlerContext context, FullHttpResponse response, boolean keepAlive) {
            busy = false;
            if (response == null || !context.channel().isActive()) {
                if (response != null) {
                    response.release();
                }
                context.close();
                return;
            }
            HttpUtil.setKeepAlive(response, keepAlive);
            ChannelFuture written = context.writeAndFlush(response);
            if (keepAlive) {
                next(context);
            } else {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext context) {
            if (context.channel().isWritable()) {
                next(context);
            }
            context.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            for (FullHttpRequest request = waiting.poll(); request != null; request = waiting.poll()) {
                request.release();
            }
            context.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            // A reset connection, a failed TLS handshake: nothing to answer, and nothing to log.
            context.close();
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
        return store.completeOnTimeout("not answering yet", STOP_SECONDS / 2, TimeUnit.SECONDS)
                .exceptionally(e -> "not available yet").join();
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
