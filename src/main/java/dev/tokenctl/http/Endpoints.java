package dev.tokenctl.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenctl.app.ServeOptions;
import dev.tokenctl.app.TokenMetrics;
import dev.tokenctl.core.Permission;
import dev.tokenctl.core.Requirement;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.Token;
import dev.tokenctl.core.Verification;
import dev.tokenctl.core.Verifier;
import inet.ipaddr.IPAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The endpoints: thin like the commands, they parse the request, ask the application, and answer
 * with the status {@link Decision} gives, telling {@link Outcome} what the request came to.
 * Every answer reads the store afresh (no cache), so it reflects every change committed before
 * the request arrived. {@link Observed} counts and logs what they answer.
 */
final class Endpoints implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pool pool;
    private final RecordWriter records;
    private final ClientAddress clients;
    private final ServeOptions options;
    private final Metrics metrics;
    /** The health probe's thread, and the probe running on it, if any. */
    private final ExecutorService probes = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "health");
        thread.setDaemon(true);
        return thread;
    });
    private CompletableFuture<Boolean> probe;
    /** Held by the scrape reading the store. */
    private final ReentrantLock scraping = new ReentrantLock();
    private static final int SCRAPE_WAIT_SECONDS = 2;

    Endpoints(Pool pool, RecordWriter records, ClientAddress clients, ServeOptions options, Metrics metrics) {
        this.pool = pool;
        this.records = records;
        this.clients = clients;
        this.options = options;
        this.metrics = metrics;
    }

    /** Stops the health probe's thread; a probe running still ends on its own. */
    @Override
    public void close() {
        probes.shutdownNow();
    }

    /** What one request came to, for the access log and the metrics; a check's endpoint fills it in. */
    static final class Outcome {
        String decision = Observed.NONE;
        String reason;
        String tokenId;
        String detail;
        /** The connection's address, and the client's as the request names it (null when unknown). */
        final IPAddress peer;
        IPAddress client;

        Outcome(IPAddress peer) {
            this.peer = peer;
            this.client = peer;
        }

        void decided(Decision decision, String reason) {
            this.decision = decision.label;
            this.reason = reason;
        }
    }

    /** The answer of {@code route} to {@code request} from {@code peer}, the connection's address. */
    FullHttpResponse answer(Route route, FullHttpRequest request, IPAddress peer, Outcome outcome) {
        return switch (route) {
            case AUTHZ -> authz(request, peer, outcome);
            case INTROSPECT -> introspect(request, peer, outcome);
            case HEALTHZ -> health(outcome);
            case METRICS -> metrics(outcome);
            case OTHER -> notFound(outcome);
        };
    }

    private static FullHttpResponse notFound(Outcome outcome) {
        outcome.reason = "not-found";
        return send(HttpResponseStatus.NOT_FOUND, "application/json", "{\"error\":\"not_found\"}");
    }

    private FullHttpResponse authz(FullHttpRequest request, IPAddress peer, Outcome outcome) {
        HttpHeaders headers = request.headers();
        outcome.client = clients.of(peer, headers.getAll("X-Forwarded-For"), headers.get("X-Real-IP"));
        String token = bearer(headers);
        if (token == null) {
            outcome.decided(Decision.NO_TOKEN, "no-token");
            return deny(Decision.NO_TOKEN);
        }
        List<String> asked = new ArrayList<>(query(rawQuery(request.uri())).getOrDefault("require", List.of()));
        asked.addAll(headers.getAll("X-Tokenctl-Require"));
        Requirement requirement = Requirement.of(asked);
        if (requirement.refused()) {
            // Core's rule: no token can meet it, so no token is looked up.
            outcome.decided(Decision.INSUFFICIENT_SCOPE, Verification.Reason.MISSING_PERMISSION.label());
            outcome.detail = "not a permission: " + String.join(", ", requirement.unknown());
            return deny(Decision.INSUFFICIENT_SCOPE);
        }
        Verification v = verify(token, outcome.client, requirement.permissions(), outcome);
        if (v == null) {
            return deny(Decision.UNAVAILABLE);
        }
        Decision decision = Decision.of(v.reason());
        outcome.decided(decision, v.reason().label());
        if (!v.valid()) {
            return deny(decision);
        }
        Token t = v.token();
        FullHttpResponse response = send(HttpResponseStatus.OK, "application/json", "{\"valid\":true}");
        HttpHeaders out = response.headers();
        out.set("X-Token-Id", t.id());
        out.set("X-Token-Name", headerText(t.name()));
        out.set("X-Token-Permissions", Permission.format(t.permissions()));
        Instant end = t.validUntil();
        if (end != null) {
            out.set("X-Token-Expires-At", end.toString());
        }
        return response;
    }

    private FullHttpResponse introspect(FullHttpRequest request, IPAddress peer, Outcome outcome) {
        HttpHeaders headers = request.headers();
        outcome.client = clients.of(peer, headers.getAll("X-Forwarded-For"), headers.get("X-Real-IP"));
        if (!request.method().equals(HttpMethod.POST)) {
            outcome.decided(Decision.INVALID_TOKEN, "method-not-allowed");
            FullHttpResponse response = send(HttpResponseStatus.METHOD_NOT_ALLOWED, "application/json",
                    "{\"error\":\"invalid_request\"}");
            response.headers().set("Allow", "POST");
            return response;
        }
        Map<String, List<String>> form = query(request.content().toString(StandardCharsets.UTF_8));
        Caller caller = Caller.of(headers, form);
        String token = first(form, "token");
        String clientIp = first(form, "client_ip");
        IPAddress address = clientIp == null ? null : ClientAddress.parse(clientIp);
        // Nothing to check, or an address that is none: not active, as RFC 7662 answers.
        boolean checkable = token != null && (clientIp == null || address != null);
        Verification[] answers = caller == null ? null : introspected(caller, checkable ? token : null, address, outcome);
        if (caller != null && answers == null) {
            return deny(Decision.UNAVAILABLE);
        }
        Verification asker = answers == null ? null : answers[0];
        if (asker == null || !admitted(caller, asker)) {
            Decision decision = caller == null ? Decision.NO_TOKEN : Decision.INVALID_TOKEN;
            outcome.decided(decision, caller == null ? "no-token" : "caller-refused");
            outcome.tokenId = null;
            if (caller != null && caller.client()) {
                FullHttpResponse refused = send(HttpResponseStatus.UNAUTHORIZED, "application/json",
                        "{\"error\":\"invalid_client\"}");
                refused.headers().set("WWW-Authenticate", "Basic realm=\"tokenctl\"");
                return refused;
            }
            return deny(decision);
        }
        if (!checkable) {
            outcome.decided(Decision.INVALID_TOKEN, "malformed");
            return send(HttpResponseStatus.OK, "application/json", "{\"active\":false}");
        }
        Verification v = answers[1];
        outcome.decided(v.valid() ? Decision.ALLOW : Decision.INVALID_TOKEN, v.reason().label());
        if (!v.valid()) {
            return send(HttpResponseStatus.OK, "application/json", "{\"active\":false}");
        }
        Token t = v.token();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("active", true);
        answer.put("scope", Permission.format(t.permissions()).replace(',', ' '));
        answer.put("client_id", t.id());
        answer.put("username", t.name());
        answer.put("sub", t.id());
        answer.put("jti", t.id());
        answer.put("token_type", "Bearer");
        answer.put("iat", t.createdAt().getEpochSecond());
        Instant end = t.validUntil();
        if (end != null) {
            answer.put("exp", end.getEpochSecond());
        }
        try {
            return send(HttpResponseStatus.OK, "application/json", JSON.writeValueAsString(answer));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the caller's answer lets it introspect: a valid token, of a caller named by --introspection-caller. */
    private boolean admitted(Caller caller, Verification asker) {
        return asker.valid() && options.introspectionCallers().contains(asker.token().name()) && caller.names(asker.token());
    }

    /**
     * The caller's answer and, when it is {@link #admitted} and there is a {@code token} to
     * check (else null), the token's from {@code address}: with one lent application, and one
     * store lookup for both. Null when the store cannot answer.
     */
    private Verification[] introspected(Caller caller, String token, IPAddress address, Outcome outcome) {
        try (Pool.Lease lease = pool.lease()) {
            Verifier verifier = lease.application().tokens().verifier(outcome.client, Set.of(), records);
            if (token != null) {
                verifier.expect(token);
            }
            Verification asker = verifier.verify(caller.secret());
            Verification v = token != null && admitted(caller, asker) ? verifier.verify(token, address) : null;
            lease.keep();
            Verification last = v == null ? asker : v;
            outcome.tokenId = last.token() == null ? null : last.token().id();
            return new Verification[] {asker, v};
        } catch (RuntimeException e) {
            unavailable(outcome, e);
            return null;
        }
    }

    /** Checks a token with a lent application; null when the store cannot answer. */
    private Verification verify(String token, IPAddress address, Set<Permission> required, Outcome outcome) {
        try (Pool.Lease lease = pool.lease()) {
            Verification v = lease.application().tokens().verifier(address, required, records).verify(token);
            lease.keep();
            outcome.tokenId = v.token() == null ? null : v.token().id();
            return v;
        } catch (RuntimeException e) {
            unavailable(outcome, e);
            return null;
        }
    }

    /** What a check that the store could not answer came to. */
    private static void unavailable(Outcome outcome, RuntimeException e) {
        outcome.decided(Decision.UNAVAILABLE, "store-error");
        outcome.detail = Text.quoteSafe(String.valueOf(e.getMessage()), 300);
    }

    /**
     * 200 when the store answers a read within a second, else 503. One probe runs at a time, on
     * a thread of its own: a store that hangs holds that thread and its connection, not one per
     * call, and the probe gives its connection back or drops it only when the read has ended.
     */
    private FullHttpResponse health(Outcome outcome) {
        CompletableFuture<Boolean> running;
        synchronized (this) {
            if (probe == null || probe.isDone()) {
                probe = CompletableFuture.supplyAsync(this::storeAnswers, probes);
            }
            running = probe;
        }
        boolean ok;
        try {
            ok = running.get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            ok = false;
        }
        outcome.reason = ok ? "ok" : "store-error";
        return ok ? send(HttpResponseStatus.OK, "text/plain; charset=utf-8", "ok\n")
                : send(HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", "store unavailable\n");
    }

    private boolean storeAnswers() {
        try (Pool.Lease lease = pool.lease()) {
            lease.application().store().policy();
            lease.keep();
        } catch (RuntimeException e) {
            return false;
        }
        return true;
    }

    /**
     * The request metrics and the token gauges. One scrape reads the store at a time: another
     * waits for it at most a couple of seconds, then gets 503, so that scrapers never hold more
     * than one thread and one core between them.
     */
    private FullHttpResponse metrics(Outcome outcome) {
        if (!scrapeTurn()) {
            outcome.reason = "busy";
            FullHttpResponse busy = send(HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain; charset=utf-8",
                    "another scrape is running\n");
            busy.headers().set("Retry-After", SCRAPE_WAIT_SECONDS);
            return busy;
        }
        try {
            StringBuilder text = new StringBuilder(4096);
            metrics.write(text, records.dropped());
            outcome.reason = "ok";
            try (Pool.Lease lease = pool.lease()) {
                StringBuilder gauges = new StringBuilder();
                TokenMetrics.write(lease.application(), options.metricsExpiryWindow(), Map.of(), TokenMetrics.SERVE_MAX_SERIES,
                        gauges);
                text.append(gauges);
                lease.keep();
            } catch (RuntimeException e) {
                // No gauges while the store cannot answer; the request metrics still go out.
                outcome.reason = "store-error";
            }
            return send(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", text.toString());
        } finally {
            scraping.unlock();
        }
    }

    private boolean scrapeTurn() {
        try {
            return scraping.tryLock(SCRAPE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Who calls introspection: a bearer token, or an OAuth client (RFC 6749 section 2.3.1) whose
     * id is its token's name or id and whose secret is its token string, in HTTP Basic or, with
     * no Authorization header, as the form's {@code client_id} and {@code client_secret}.
     *
     * @param id the client id, or null for a bearer token
     * @param secret the token string offered; "" for one that cannot be a token
     */
    private record Caller(String id, String secret) {
        /** The caller of a request; null when it names none. */
        static Caller of(HttpHeaders headers, Map<String, List<String>> form) {
            List<String> values = headers.getAll("Authorization");
            if (values.size() == 1 && values.get(0).regionMatches(true, 0, "Basic ", 0, 6)) {
                String pair;
                try {
                    pair = new String(Base64.getDecoder().decode(values.get(0).substring(6).strip()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return new Caller("", "");
                }
                int colon = pair.indexOf(':');
                // Each half form-encoded first, as section 2.3.1 asks.
                return colon == -1 ? new Caller("", "")
                        : new Caller(decoded(pair.substring(0, colon)), decoded(pair.substring(colon + 1)));
            }
            String secret = first(form, "client_secret");
            if (values.isEmpty() && secret != null) {
                String id = first(form, "client_id");
                return new Caller(id == null ? "" : id, secret);
            }
            String bearer = bearer(headers);
            return bearer == null ? null : new Caller(null, bearer);
        }

        boolean client() {
            return id != null;
        }

        /** Whether a client's id names {@code token}; a bearer token names itself. */
        boolean names(Token token) {
            return id == null || id.equals(token.name()) || id.equals(token.id());
        }
    }

    /** The bearer token of the request; null for none, "" for one that cannot be a token. */
    private static String bearer(HttpHeaders headers) {
        List<String> values = headers.getAll("Authorization");
        if (values.isEmpty()) {
            return null;
        }
        String value = values.get(0);
        // Anything else, a long header too, is no token; a token's own length is checked when it is read.
        if (values.size() > 1 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "";
        }
        return value.substring(7).strip();
    }

    /** A header value: the text itself when it is plain printable ASCII, else percent-encoded UTF-8. */
    static String headerText(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }

    /** The query of a request target; "" for none. */
    private static String rawQuery(String target) {
        int question = target.indexOf('?');
        return question == -1 ? "" : target.substring(question + 1);
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String key = decoded(equals == -1 ? pair : pair.substring(0, equals));
            String value = equals == -1 ? "" : decoded(pair.substring(equals + 1));
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    /**
     * A parameter's name or value decoded; one with a malformed escape stays as written, so a
     * {@code require} that cannot be read is a name no token holds (deny), never dropped.
     */
    private static String decoded(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static String first(Map<String, List<String>> params, String key) {
        List<String> values = params.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static FullHttpResponse deny(Decision decision) {
        FullHttpResponse response = send(HttpResponseStatus.valueOf(decision.status), "application/json",
                decision.error == null ? "{}" : "{\"error\":\"" + decision.error + "\"}");
        String challenge = decision.challenge();
        if (challenge != null) {
            response.headers().set("WWW-Authenticate", challenge);
        }
        return response;
    }

    /** A complete answer with a body, never cached by anyone on the way. */
    static FullHttpResponse send(HttpResponseStatus status, String type, String body) {
        ByteBuf bytes = Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, bytes);
        response.headers()
                .set("Content-Type", type)
                .set("Cache-Control", "no-store")
                .setInt("Content-Length", bytes.readableBytes());
        return response;
    }
}
