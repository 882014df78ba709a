package dev.tokenctl.http;

import inet.ipaddr.IPAddress;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Each connection's pipeline, and what every connection may hold. All of it runs on the
 * server's one event loop, so the bookkeeping needs no lock.
 *
 * <p>A connection must deliver a whole request within the request deadline of its accept (a TLS
 * handshake included) or of the first bytes after an answer; between requests it may idle for
 * the idle time. At the cap, a new connection takes the place of the one that has waited longest
 * without completing a request (a client that never spoke), else of the one idle longest:
 * silent sockets cannot lock out a client that speaks. A body is refused at the header stage
 * when it says it is larger than its route takes, and counted as it arrives otherwise; only
 * introspection's small form is kept.
 */
final class Connections extends ChannelInitializer<SocketChannel> {
    /**
     * How long a request may take to arrive whole, how long a kept-alive connection may idle
     * between requests, and how many connections may be open; tests give shorter times and a
     * smaller cap.
     */
    record Limits(long requestMillis, long idleMillis, int maxConnections) {
        /** 10 s; 120 s (gateways keep theirs 60 s); far more than a gateway's pool, few enough for the file descriptors. */
        static final Limits DEFAULT = new Limits(10_000, 120_000, 1024);
    }
    /** The largest request line and header section; beyond it, 414 or 431 and the connection closed. */
    static final int MAX_LINE = 8 * 1024;
    static final int MAX_HEADERS = 16 * 1024;

    private final Observed observed;
    private final ExecutorService threads;
    private final SSLContext tls;
    private final Limits limits;
    private final Set<Channel> open = new HashSet<>();
    /** Connections that have never completed a request, in the order they came. */
    private final Set<Channel> unheard = new LinkedHashSet<>();
    /** Connections between requests, in the order they became idle. */
    private final Set<Channel> idle = new LinkedHashSet<>();

    Connections(Observed observed, ExecutorService threads, SSLContext tls, Limits limits) {
        this.observed = observed;
        this.threads = threads;
        this.tls = tls;
        this.limits = limits;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        if (open.size() >= limits.maxConnections() && !evictOne()) {
            channel.close();
            return;
        }
        open.add(channel);
        unheard.add(channel);
        channel.closeFuture().addListener(closed -> forget(channel));
        ChannelPipeline pipeline = channel.pipeline();
        // First, so that its clock sees the connection before any handshake.
        pipeline.addLast(new Conversation(this));
        if (tls != null) {
            SSLEngine engine = tls.createSSLEngine();
            engine.setUseClientMode(false);
            pipeline.addLast(new SslHandler(engine));
        }
        pipeline.addLast(new HttpServerCodec(MAX_LINE, MAX_HEADERS, 8192), new Bodies(observed), new Requests(observed, threads));
    }

    /** Closes the connection that has waited longest without a request in hand; false when every one has one. */
    private boolean evictOne() {
        for (Set<Channel> waiting : java.util.List.of(unheard, idle)) {
            Iterator<Channel> oldest = waiting.iterator();
            if (oldest.hasNext()) {
                Channel victim = oldest.next();
                forget(victim);
                victim.close();
                return true;
            }
        }
        return false;
    }

    private void forget(Channel channel) {
        open.remove(channel);
        unheard.remove(channel);
        idle.remove(channel);
    }

    /**
     * A connection's clock and its place in the queues of {@link Connections}: the request
     * deadline runs from the accept, and again from the first bytes after an answer; the idle
     * time from an answer until the next bytes; neither while a request is being answered.
     */
    static final class Conversation extends ChannelInboundHandlerAdapter {
        private final Connections connections;
        private ScheduledFuture<?> deadline;
        private boolean idling;
        private boolean heard;

        Conversation(Connections connections) {
            this.connections = connections;
        }

        @Override
        public void channelActive(ChannelHandlerContext context) {
            schedule(context, connections.limits.requestMillis());
            context.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if (idling) {
                idling = false;
                schedule(context, connections.limits.requestMillis());
            }
            context.fireChannelRead(message);
        }

        /** A whole request has arrived: no clock runs while it is answered. */
        void arrived(Channel channel) {
            cancel();
            idling = false;
            heard = true;
            connections.unheard.remove(channel);
            connections.idle.remove(channel);
        }

        /** Every request received has been answered: the idle time starts. */
        void answered(ChannelHandlerContext context) {
            if (!heard || !context.channel().isActive()) {
                return;
            }
            idling = true;
            connections.idle.add(context.channel());
            schedule(context, connections.limits.idleMillis());
        }

        private void schedule(ChannelHandlerContext context, long millis) {
            cancel();
            deadline = context.executor().schedule(() -> {
                context.close();
            }, millis, TimeUnit.MILLISECONDS);
        }

        private void cancel() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            cancel();
            context.fireChannelInactive();
        }
    }

    /** A body larger than its route takes. */
    static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge() {
            super("body too large", null, false, false);
        }
    }

    /**
     * Makes whole requests of the codec's parts, buffering no more than a route takes: a body
     * that says it is larger is refused at the header stage, one that turns out larger as it
     * arrives as soon as it does, each with 413; a body the route does not read is thrown away.
     * A refused request reaches {@link Requests} as a failed one, to be answered in its turn.
     */
    static final class Bodies extends ChannelInboundHandlerAdapter {
        private final Observed observed;
        private HttpRequest head;
        private Route route;
        /** The body as it arrives, for a route that reads it: a plain array, nothing to release. */
        private byte[] body;
        private long length;
        /** A request was refused: nothing after it on this connection is read. */
        private boolean refused;

        Bodies(Observed observed) {
            this.observed = observed;
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if (refused) {
                io.netty.util.ReferenceCountUtil.release(message);
                return;
            }
            if (message instanceof HttpRequest request) {
                head = request;
                route = request.decoderResult().isFailure() ? Route.OTHER : Route.of(request.uri());
                length = 0;
                if (request.decoderResult().isFailure()) {
                    fail(context, request.decoderResult());
                } else if (HttpUtil.getContentLength(request, 0L) > route.maxBody) {
                    fail(context, DecoderResult.failure(new BodyTooLarge()));
                } else if (HttpUtil.is100ContinueExpected(request)) {
                    context.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                            Unpooled.EMPTY_BUFFER));
                }
                if (!refused) {
                    // Only introspection reads its body (a form); others are thrown away as they arrive.
                    body = route == Route.INTROSPECT ? new byte[route.maxBody] : null;
                }
            }
            if (message instanceof HttpContent content) {
                try {
                    if (!refused) {
                        read(context, content);
                    }
                } finally {
                    content.release();
                }
            }
        }

        private void read(ChannelHandlerContext context, HttpContent content) {
            if (content.decoderResult().isFailure()) {
                fail(context, content.decoderResult());
                return;
            }
            int read = content.content().readableBytes();
            if (length + read > route.maxBody) {
                fail(context, DecoderResult.failure(new BodyTooLarge()));
                return;
            }
            if (body != null) {
                content.content().readBytes(body, (int) length, read);
            }
            length += read;
            if (content instanceof LastHttpContent last) {
                DefaultFullHttpRequest whole = new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                        body != null ? Unpooled.wrappedBuffer(body, 0, (int) length) : Unpooled.EMPTY_BUFFER, head.headers(),
                        last.trailingHeaders());
                body = null;
                head = null;
                context.fireChannelRead(whole);
            }
        }

        private void fail(ChannelHandlerContext context, DecoderResult result) {
            refused = true;
            body = null;
            DefaultFullHttpRequest failed = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
                    io.netty.handler.codec.http.HttpMethod.GET, head == null ? "/" : head.uri(), Unpooled.EMPTY_BUFFER);
            failed.setDecoderResult(result);
            context.fireChannelRead(failed);
            // The rest of the connection's bytes are not read; it closes once the refusal is written.
        }

        /** What a refused request is answered, and named in the metrics and the access log. */
        static HttpResponseStatus status(Throwable cause) {
            return cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : cause instanceof BodyTooLarge ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
        }

        static String reason(HttpResponseStatus status) {
            return switch (status.code()) {
                case 414 -> "uri-too-long";
                case 431 -> "headers-too-large";
                case 413 -> "too-large";
                default -> "bad-request";
            };
        }
    }

    /**
     * Answers a connection's requests one at a time, each on a thread of the pool, in the order
     * they came. A client that sends many requests without reading the answers is not read
     * until they are answered.
     */
    static final class Requests extends ChannelInboundHandlerAdapter {
        /** Requests of one connection waiting for an answer before the connection is no longer read. */
        private static final int PIPELINED = 8;
        private final Observed observed;
        private final ExecutorService threads;
        private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
        private boolean busy;
        /** The connection's address, parsed once for all its requests. */
        private IPAddress peer;

        Requests(Observed observed, ExecutorService threads) {
            this.observed = observed;
            this.threads = threads;
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            FullHttpRequest request = (FullHttpRequest) message;
            context.pipeline().get(Conversation.class).arrived(context.channel());
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
                context.pipeline().get(Conversation.class).answered(context);
                return;
            }
            if (peer == null) {
                peer = ClientAddress.parse(((InetSocketAddress) context.channel().remoteAddress()).getAddress().getHostAddress());
            }
            IPAddress peer = this.peer;
            if (request.decoderResult().isFailure()) {
                HttpResponseStatus status = Bodies.status(request.decoderResult().cause());
                Route route = status.code() == 413 ? Route.of(request.uri()) : Route.OTHER;
                request.release();
                written(context, observed.refused(route, status, Bodies.reason(status), peer), false, false);
                return;
            }
            busy = true;
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            boolean http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
            try {
                threads.execute(() -> {
                    FullHttpResponse response = null;
                    try {
                        response = observed.answer(request, peer);
                    } catch (Throwable e) {
                        // Observed answers an endpoint's failure; this is its own (no memory for a line, say).
                    } finally {
                        request.release();
                    }
                    FullHttpResponse answer = response;
                    context.executor().execute(() -> {
                        busy = false;
                        if (answer == null) {
                            context.close();
                        } else {
                            written(context, answer, keepAlive, http10);
                        }
                    });
                });
            } catch (RejectedExecutionException e) {
                request.release();
                context.close();
            }
        }

        /**
         * Writes an answer; keeps the connection for the next request when the client asked to
         * (an HTTP/1.0 client is told so, as it would otherwise wait for the connection to close).
         */
        private void written(ChannelHandlerContext context, FullHttpResponse response, boolean keepAlive, boolean http10) {
            if (!context.channel().isActive()) {
                response.release();
                return;
            }
            HttpUtil.setKeepAlive(response, keepAlive);
            if (keepAlive && http10) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
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
}
