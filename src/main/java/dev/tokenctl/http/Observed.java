package dev.tokenctl.http;

import dev.tokenctl.core.IpFilter;
import inet.ipaddr.IPAddress;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.PrintWriter;
import java.time.Instant;

/**
 * The wrapper around every answer, the endpoints' and those given before a request reached
 * them (a malformed or oversized request): each is counted in the metrics and written to the
 * access log with its status, and a request whose endpoint failed inside gets a 500 and one line
 * on stderr, never a hung connection or a stack trace.
 */
final class Observed {
    /** The decision label of an answer that is not a token check: health, metrics, refusals. */
    static final String NONE = "none";
    /** The decision label of an answer that failed inside. */
    static final String ERROR = "error";

    private final Endpoints endpoints;
    private final Metrics metrics;
    private final AccessLog log;
    private final PrintWriter err;

    Observed(Endpoints endpoints, Metrics metrics, AccessLog log, PrintWriter err) {
        this.endpoints = endpoints;
        this.metrics = metrics;
        this.log = log;
        this.err = err;
    }

    /** The answer to {@code request} from {@code peer}, the connection's address as {@link ClientAddress#parse} reads it. */
    FullHttpResponse answer(FullHttpRequest request, IPAddress peer) {
        long start = System.nanoTime();
        Route route = Route.of(request.uri());
        Endpoints.Outcome outcome = new Endpoints.Outcome(peer);
        FullHttpResponse response;
        try {
            response = endpoints.answer(route, request, peer, outcome);
        } catch (Throwable e) {  // an Error too: the client gets its answer, and the server goes on
            failed(route, e);
            outcome.decision = ERROR;
            outcome.reason = "internal-error";
            response = Endpoints.send(HttpResponseStatus.INTERNAL_SERVER_ERROR, "application/json",
                    "{\"error\":\"server_error\"}");
        }
        record(route, response.status().code(), outcome, System.nanoTime() - start);
        return response;
    }

    /**
     * A request refused before any endpoint saw it, such as one too large: {@code reason} as the
     * metrics and the access log name it; {@code route} is OTHER when its target was not read.
     */
    FullHttpResponse refused(Route route, HttpResponseStatus status, String reason, IPAddress peer) {
        FullHttpResponse response = Endpoints.send(status, "application/json", "{\"error\":\"invalid_request\"}");
        Endpoints.Outcome outcome = new Endpoints.Outcome(peer);
        outcome.reason = reason;
        record(route, status.code(), outcome, 0);
        return response;
    }

    private void record(Route route, int status, Endpoints.Outcome outcome, long nanos) {
        metrics.record(route.label, outcome.decision, outcome.reason, nanos);
        if (log.enabled()) {
            log.write(new AccessLog.Line(Instant.now().toString(), IpFilter.format(outcome.peer),
                    outcome.client == null ? null : IpFilter.format(outcome.client), route.label, status,
                    outcome.decision, outcome.reason, outcome.tokenId, outcome.detail, nanos / 1e6));
        }
    }

    /** One line, whatever failed: the class alone, since a message may hold what the client sent. */
    private void failed(Route route, Throwable e) {
        synchronized (err) {
            err.println("tokenctl: error: internal error answering " + route.label + ": " + e.getClass().getSimpleName()
                    + " (the client got 500; report it)");
            err.flush();
        }
    }
}
