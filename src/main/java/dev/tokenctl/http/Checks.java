package dev.tokenctl.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenctl.app.ServeOptions;
import dev.tokenctl.app.TokenMetrics;
import dev.tokenctl.core.IpFilter;
import dev.tokenctl.core.Permission;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.Token;
import dev.tokenctl.core.TokenctlException;
import dev.tokenctl.core.Verification;
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
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The endpoints: thin like the commands, they parse the request, ask the application, and answer
 * with the status {@link Decision} gives. Every answer reads the store afresh (no cache), so it
 * reflects every change committed before the request arrived.
 */
final class Checks {
    static final int MAX_FORM = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pool pool;
    private final RecordWriter records;
    private final ClientAddress clients;
    private final ServeOptions options;
    private final AccessLog log;
    private final Metrics metrics;
    /** The health probe's thread, and the probe running on it, if any. */
    private final ExecutorService probes = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "health");
        thread.setDaemon(true);
        return thread;
    });
    private CompletableFuture<Boolean> probe;

    Checks(Pool pool, RecordWriter records, ClientAddress clients, ServeOptions options, AccessLog log, Metrics metrics) {
        this.pool = pool;
        this.records = records;
        this.clients = clients;
        this.options = options;
        this.log = log;
        this.metrics = metrics;
    }

    /** What one request came to, for the answer, the access log and the metrics. */
    private static final class Outcome {
        Decision decision = Decision.UNAVAILABLE;
        String reason = "store-error";
        String tokenId;
        String detail;
        IPAddress client;
    }

    /** The answer to {@code request} from {@code peer}, the connection's address as {@link ClientAddress#parse} reads it. */
    FullHttpResponse answer(FullHttpRequest request, IPAddress peer) {
        long start = System.nanoTime();
        String path = path(request.uri());
        if (path.equals("/v1/authz") || path.startsWith("/v1/authz/")) {
            return check(request, peer, "authz", start, this::authz);
        } else if (path.equals("/v1/introspect")) {
            return check(request, peer, "introspect", start, this::introspect);
        } else if (path.equals("/healthz")) {
            return health();
        } else if (path.equals("/metrics")) {
            return metrics();
        }
        return send(HttpResponseStatus.NOT_FOUND, "application/json", "{\"error\":\"not_found\"}");
    }

    private interface Endpoint {
        FullHttpResponse answer(FullHttpRequest request, IPAddress peer, Outcome outcome);
    }

    private FullHttpResponse check(FullHttpRequest request, IPAddress peer, String endpoint, long start,
                                   Endpoint handler) {
        Outcome outcome = new Outcome();
        outcome.client = peer;
        int status = 500;
        try {
            FullHttpResponse response = handler.answer(request, peer, outcome);
            status = response.status().code();
            return response;
        } finally {
            long nanos = System.nanoTime() - start;
            metrics.record(endpoint, outcome.decision.label, outcome.reason, nanos);
            if (log.enabled()) {
                log.write(new AccessLog.Line(Instant.now().toString(), IpFilter.format(peer),
                        outcome.client == null ? null : IpFilter.format(outcome.client), endpoint, status,
                        outcome.decision.label, outcome.reason, outcome.tokenId, outcome.detail, nanos / 1e6));
            }
        }
    }

    private FullHttpResponse authz(FullHttpRequest request, IPAddress peer, Outcome outcome) {
        HttpHeaders headers = request.headers();
        outcome.client = clients.of(peer, headers.getAll("X-Forwarded-For"), headers.get("X-Real-IP"));
        String token = bearer(headers);
        if (token == null) {
            outcome.decision = Decision.NO_TOKEN;
            outcome.reason = "no-token";
            return deny(outcome.decision);
        }
        Set<Permission> required = EnumSet.noneOf(Permission.class);
        List<String> unknown = new ArrayList<>();
        List<String> asked = new ArrayList<>(query(rawQuery(request.uri())).getOrDefault("require", List.of()));
        asked.addAll(headers.getAll("X-Tokenctl-Require"));
        for (String list : asked) {
            for (String name : list.split(",")) {
                if (!name.isBlank()) {
                    try {
                        required.addAll(Permission.parseList(name.strip()));
                    } catch (TokenctlException e) {
                        unknown.add(Text.quoteSafe(name.strip(), 100));
                    }
                }
            }
        }
        Verification v = verify(token, outcome.client, required, outcome);
        if (v == null) {
            return deny(Decision.UNAVAILABLE);
        }
        if (v.valid() && !unknown.isEmpty()) {
            // Not a permission: no token can hold it.
            v = new Verification(Verification.Reason.MISSING_PERMISSION, v.token());
            outcome.detail = "not a permission: " + String.join(", ", unknown);
        }
        outcome.decision = Decision.of(v.reason());
        outcome.reason = v.reason().label();
        if (!v.valid()) {
            return deny(outcome.decision);
        }
        Token t = v.token();
        FullHttpResponse response = send(HttpResponseStatus.OK, "application/json", "{\"valid\":true}");
        HttpHeaders out = response.headers();
        out.set("X-Token-Id", t.id());
        out.set("X-Token-Name", headerText(t.name()));
        out.set("X-Token-Permissions", Permission.format(t.permissions()));
        Instant end = validUntil(t);
        if (end != null) {
            out.set("X-Token-Expires-At", end.toString());
        }
        return response;
    }

    private FullHttpResponse introspect(FullHttpRequest request, IPAddress peer, Outcome outcome) {
        HttpHeaders headers = request.headers();
        outcome.client = clients.of(peer, headers.getAll("X-Forwarded-For"), headers.get("X-Real-IP"));
        if (!request.method().equals(HttpMethod.POST)) {
            outcome.decision = Decision.INVALID_TOKEN;
            outcome.reason = "method-not-allowed";
            FullHttpResponse response = send(HttpResponseStatus.METHOD_NOT_ALLOWED, "application/json",
                    "{\"error\":\"invalid_request\"}");
            response.headers().set("Allow", "POST");
            return response;
        }
        if (request.content().readableBytes() > MAX_FORM) {
            outcome.decision = Decision.INVALID_TOKEN;
            outcome.reason = "too-large";
            return send(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "application/json", "{\"error\":\"invalid_request\"}");
        }
        String caller = bearer(headers);
        Verification asker = caller == null ? null : verify(caller, outcome.client, Set.of(), outcome);
        if (caller != null && asker == null) {
            return deny(Decision.UNAVAILABLE);
        }
        if (asker == null || !asker.valid() || !options.introspectionCallers().contains(asker.token().name())) {
            outcome.decision = caller == null ? Decision.NO_TOKEN : Decision.INVALID_TOKEN;
            outcome.reason = caller == null ? "no-token" : "caller-refused";
            outcome.tokenId = null;
            return deny(outcome.decision);
        }
        Map<String, List<String>> form = query(request.content().toString(StandardCharsets.UTF_8));
        String token = first(form, "token");
        String clientIp = first(form, "client_ip");
        IPAddress address = clientIp == null ? null : ClientAddress.parse(clientIp);
        if (token == null || (clientIp != null && address == null)) {
            // Nothing to check, or an address that is none: not active, as RFC 7662 answers.
            outcome.decision = Decision.INVALID_TOKEN;
            outcome.reason = "malformed";
            return send(HttpResponseStatus.OK, "application/json", "{\"active\":false}");
        }
        Verification v = verify(token, address, Set.of(), outcome);
        if (v == null) {
            return deny(Decision.UNAVAILABLE);
        }
        outcome.decision = v.valid() ? Decision.ALLOW : Decision.INVALID_TOKEN;
        outcome.reason = v.reason().label();
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
        Instant end = validUntil(t);
        if (end != null) {
            answer.put("exp", end.getEpochSecond());
        }
        try {
            return send(HttpResponseStatus.OK, "application/json", JSON.writeValueAsString(answer));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * When a valid token stops working: its expiry or, for a retiring one (a graced rotation
     * revokes it later), the end of its grace when that comes first. Null for never.
     */
    private static Instant validUntil(Token t) {
        Instant end = t.expiresAt();
        return t.revokedAt() != null && (end == null || t.revokedAt().isBefore(end)) ? t.revokedAt() : end;
    }

    /** Checks a token with a lent application; null when the store cannot answer. */
    private Verification verify(String token, IPAddress address, Set<Permission> required, Outcome outcome) {
        try (Pool.Lease lease = pool.lease()) {
            Verification v = lease.application().tokens().verifier(address, required, records).verify(token);
            lease.keep();
            outcome.tokenId = v.token() == null ? null : v.token().id();
            return v;
        } catch (RuntimeException e) {
            outcome.decision = Decision.UNAVAILABLE;
            outcome.reason = "store-error";
            outcome.detail = Text.quoteSafe(String.valueOf(e.getMessage()), 300);
            return null;
        }
    }

    /**
     * 200 when the store answers a read within a second, else 503. One probe runs at a time, on
     * a thread of its own: a store that hangs holds that thread and its connection, not one per
     * call, and the probe gives its connection back or drops it only when the read has ended.
     */
    private FullHttpResponse health() {
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

    private FullHttpResponse metrics() {
        StringBuilder text = new StringBuilder(4096);
        metrics.write(text, records.dropped());
        try (Pool.Lease lease = pool.lease()) {
            StringBuilder gauges = new StringBuilder();
            TokenMetrics.write(lease.application(), options.metricsExpiryWindow(), Map.of(), gauges);
            text.append(gauges);
            lease.keep();
        } catch (RuntimeException e) {
            // No gauges while the store cannot answer; the request metrics still go out.
        }
        return send(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", text.toString());
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

    /** The raw path of a request target, in origin form ("/a?b") or absolute form ("http://host/a?b"). */
    static String path(String target) {
        int question = target.indexOf('?');
        String path = question == -1 ? target : target.substring(0, question);
        int scheme = path.indexOf("://");
        if (scheme > 0 && !path.startsWith("/")) {
            int slash = path.indexOf('/', scheme + 3);
            return slash == -1 ? "/" : path.substring(slash);
        }
        return path;
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
