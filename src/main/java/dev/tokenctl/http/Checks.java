package dev.tokenctl.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tokenctl.app.Application;
import dev.tokenctl.app.ServeOptions;
import dev.tokenctl.app.TokenMetrics;
import dev.tokenctl.core.IpFilter;
import dev.tokenctl.core.Permission;
import dev.tokenctl.core.Token;
import dev.tokenctl.core.TokenctlException;
import dev.tokenctl.core.Verification;
import inet.ipaddr.IPAddress;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.TimeUnit;

/**
 * The endpoints: thin like the commands, they parse the request, ask the application, and answer
 * with the status {@link Decision} gives. Every answer reads the store afresh (no cache), so it
 * reflects every change committed before the request arrived.
 */
final class Checks implements HttpHandler {
    /** Longest token accepted; real ones are 71 characters. */
    private static final int MAX_TOKEN = 1024;
    private static final int MAX_FORM = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pool pool;
    private final RecordWriter records;
    private final ClientAddress clients;
    private final ServeOptions options;
    private final AccessLog log;
    private final Metrics metrics;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

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

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        inFlight.incrementAndGet();
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals("/v1/authz") || path.startsWith("/v1/authz/")) {
                check(exchange, "authz", start, this::authz);
            } else if (path.equals("/v1/introspect")) {
                check(exchange, "introspect", start, this::introspect);
            } else if (path.equals("/healthz")) {
                health(exchange);
            } else if (path.equals("/metrics")) {
                metrics(exchange);
            } else {
                send(exchange, 404, "application/json", "{\"error\":\"not_found\"}");
            }
        } catch (IOException | RuntimeException e) {
            // The client went away, or the request was malformed: the connection is closed.
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Requests being answered now. */
    int inFlight() {
        return inFlight.get();
    }

    private interface Endpoint {
        void answer(HttpExchange exchange, IPAddress peer, Outcome outcome) throws IOException;
    }

    private void check(HttpExchange exchange, String endpoint, long start, Endpoint handler) throws IOException {
        Outcome outcome = new Outcome();
        IPAddress peer = ClientAddress.parse(exchange.getRemoteAddress().getAddress().getHostAddress());
        outcome.client = peer;
        try {
            handler.answer(exchange, peer, outcome);
        } finally {
            long nanos = System.nanoTime() - start;
            metrics.record(endpoint, outcome.decision.label, outcome.reason, nanos);
            log.write(new AccessLog.Line(Instant.now().toString(), IpFilter.format(peer),
                    outcome.client == null ? null : IpFilter.format(outcome.client), endpoint, exchange.getResponseCode(),
                    outcome.decision.label, outcome.reason, outcome.tokenId, outcome.detail, nanos / 1e6));
        }
    }

    private void authz(HttpExchange exchange, IPAddress peer, Outcome outcome) throws IOException {
        Headers headers = exchange.getRequestHeaders();
        outcome.client = clients.of(peer, headers.get("X-Forwarded-For"), headers.getFirst("X-Real-IP"));
        String token = bearer(headers);
        if (token == null) {
            outcome.decision = Decision.NO_TOKEN;
            outcome.reason = "no-token";
            deny(exchange, outcome.decision);
            return;
        }
        Set<Permission> required = EnumSet.noneOf(Permission.class);
        List<String> unknown = new ArrayList<>();
        List<String> asked = new ArrayList<>(query(exchange.getRequestURI().getRawQuery()).getOrDefault("require", List.of()));
        asked.addAll(headers.getOrDefault("X-Tokenctl-Require", List.of()));
        for (String list : asked) {
            for (String name : list.split(",")) {
                if (!name.isBlank()) {
                    try {
                        required.addAll(Permission.parseList(name.strip()));
                    } catch (TokenctlException e) {
                        unknown.add(dev.tokenctl.core.Text.quoteSafe(name.strip(), 100));
                    }
                }
            }
        }
        Verification v = verify(token, outcome.client, required, outcome);
        if (v == null) {
            deny(exchange, Decision.UNAVAILABLE);
            return;
        }
        if (v.valid() && !unknown.isEmpty()) {
            // Not a permission: no token can hold it.
            v = new Verification(Verification.Reason.MISSING_PERMISSION, v.token());
            outcome.detail = "not a permission: " + String.join(", ", unknown);
        }
        outcome.decision = Decision.of(v.reason());
        outcome.reason = v.reason().label();
        if (!v.valid()) {
            deny(exchange, outcome.decision);
            return;
        }
        Token t = v.token();
        Headers response = exchange.getResponseHeaders();
        response.set("X-Token-Id", t.id());
        response.set("X-Token-Name", headerText(t.name()));
        response.set("X-Token-Permissions", Permission.format(t.permissions()));
        if (t.expiresAt() != null) {
            response.set("X-Token-Expires-At", t.expiresAt().toString());
        }
        send(exchange, 200, "application/json", "{\"valid\":true}");
    }

    private void introspect(HttpExchange exchange, IPAddress peer, Outcome outcome) throws IOException {
        Headers headers = exchange.getRequestHeaders();
        outcome.client = clients.of(peer, headers.get("X-Forwarded-For"), headers.getFirst("X-Real-IP"));
        if (!exchange.getRequestMethod().equals("POST")) {
            outcome.decision = Decision.INVALID_TOKEN;
            outcome.reason = "method-not-allowed";
            exchange.getResponseHeaders().set("Allow", "POST");
            send(exchange, 405, "application/json", "{\"error\":\"invalid_request\"}");
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_FORM + 1);
        }
        if (body.length > MAX_FORM) {
            outcome.decision = Decision.INVALID_TOKEN;
            outcome.reason = "too-large";
            send(exchange, 413, "application/json", "{\"error\":\"invalid_request\"}");
            return;
        }
        String caller = bearer(headers);
        Verification asker = caller == null ? null : verify(caller, outcome.client, Set.of(), outcome);
        if (caller != null && asker == null) {
            deny(exchange, Decision.UNAVAILABLE);
            return;
        }
        if (asker == null || !asker.valid() || !options.introspectionCallers().contains(asker.token().name())) {
            outcome.decision = caller == null ? Decision.NO_TOKEN : Decision.INVALID_TOKEN;
            outcome.reason = caller == null ? "no-token" : "caller-refused";
            outcome.tokenId = null;
            deny(exchange, outcome.decision);
            return;
        }
        Map<String, List<String>> form = query(new String(body, StandardCharsets.UTF_8));
        String token = first(form, "token");
        String clientIp = first(form, "client_ip");
        IPAddress address = clientIp == null ? null : ClientAddress.parse(clientIp);
        if (token == null || (clientIp != null && address == null)) {
            // Nothing to check, or an address that is none: not active, as RFC 7662 answers.
            outcome.decision = Decision.INVALID_TOKEN;
            outcome.reason = "malformed";
            send(exchange, 200, "application/json", "{\"active\":false}");
            return;
        }
        Verification v = verify(token, address, Set.of(), outcome);
        if (v == null) {
            deny(exchange, Decision.UNAVAILABLE);
            return;
        }
        outcome.decision = v.valid() ? Decision.ALLOW : Decision.INVALID_TOKEN;
        outcome.reason = v.reason().label();
        if (!v.valid()) {
            send(exchange, 200, "application/json", "{\"active\":false}");
            return;
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
        if (t.expiresAt() != null) {
            answer.put("exp", t.expiresAt().getEpochSecond());
        }
        send(exchange, 200, "application/json", JSON.writeValueAsString(answer));
    }

    /** Checks a token with a borrowed application; null when the store cannot answer. */
    private Verification verify(String token, IPAddress address, Set<Permission> required, Outcome outcome) {
        Application application = pool.borrow();
        try {
            Verification v = application.tokens().verifier(address, required, records).verify(token);
            pool.release(application);
            outcome.tokenId = v.token() == null ? null : v.token().id();
            return v;
        } catch (RuntimeException e) {
            pool.discard(application);
            outcome.decision = Decision.UNAVAILABLE;
            outcome.reason = "store-error";
            outcome.detail = dev.tokenctl.core.Text.quoteSafe(String.valueOf(e.getMessage()), 300);
            return null;
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        Application application = pool.borrow();
        boolean ok;
        try {
            ok = CompletableFuture.supplyAsync(() -> application.store().policy() != null).get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            ok = false;
        }
        if (ok) {
            pool.release(application);
            send(exchange, 200, "text/plain; charset=utf-8", "ok\n");
        } else {
            pool.discard(application);
            send(exchange, 503, "text/plain; charset=utf-8", "store unavailable\n");
        }
    }

    private void metrics(HttpExchange exchange) throws IOException {
        StringBuilder text = new StringBuilder(4096);
        metrics.write(text, records.dropped());
        Application application = pool.borrow();
        try {
            StringBuilder gauges = new StringBuilder();
            TokenMetrics.write(application, options.metricsExpiryWindow(), gauges);
            text.append(gauges);
            pool.release(application);
        } catch (RuntimeException e) {
            pool.discard(application);
        }
        send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", text.toString());
    }

    /** The bearer token of the request; null for none, "" for one that cannot be a token. */
    private static String bearer(Headers headers) {
        List<String> values = headers.get("Authorization");
        if (values == null || values.isEmpty()) {
            return null;
        }
        String value = values.get(0);
        if (values.size() > 1 || value.length() < 8 || !value.regionMatches(true, 0, "Bearer ", 0, 7)
                || value.length() > 7 + MAX_TOKEN) {
            return "";
        }
        return value.substring(7).strip();
    }

    /** A header value: the text itself when it is plain printable ASCII, else percent-encoded UTF-8. */
    static String headerText(String text) {
        if (text.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '%')) {
            return text;
        }
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

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                // A malformed escape: that parameter is not there.
            }
        }
        return params;
    }

    private static String first(Map<String, List<String>> params, String key) {
        List<String> values = params.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static void deny(HttpExchange exchange, Decision decision) throws IOException {
        String challenge = decision.challenge();
        if (challenge != null) {
            exchange.getResponseHeaders().set("WWW-Authenticate", challenge);
        }
        send(exchange, decision.status, "application/json",
                decision.error == null ? "{}" : "{\"error\":\"" + decision.error + "\"}");
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
