package dev.tokenctl.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenctl.app.Application;
import dev.tokenctl.app.ServeOptions;
import dev.tokenctl.cli.Context;
import dev.tokenctl.testing.LocalStore;
import inet.ipaddr.IPAddress;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoints' answers, in process, on a SQLite store: the decision table, the headers
 * gateways read, introspection, health and metrics. ServeIT drives the same through the
 * launcher, on each engine, with real clients.
 */
class EndpointsTest {
    private static final IPAddress PEER = ClientAddress.parse("127.0.0.1");

    @TempDir
    Path dir;
    private LocalStore local;
    private Pool pool;
    private RecordWriter records;
    private Observed checks;
    private final StringWriter accessLog = new StringWriter();
    private final StringWriter errors = new StringWriter();
    /** Applications the pool has made: one per store connection. */
    private final java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeEach
    void setUp() {
        local = new LocalStore(dir);
        local.tokenctl("policy", "show");
        Supplier<Application> applications = () -> {
            made.incrementAndGet();
            return local.application();
        };
        pool = new Pool(applications, 2);
        records = new RecordWriter(pool, new PrintWriter(new StringWriter()));
        ServeOptions options = new ServeOptions("127.0.0.1", 0, List.of("10.0.0.1"), List.of("kong"), null, null, false,
                "-", Duration.ofDays(30));
        Metrics metrics = new Metrics();
        checks = new Observed(new Endpoints(pool, records, new ClientAddress(options.trustedProxies()), options, metrics),
                metrics, AccessLog.open("-", new PrintWriter(accessLog)), new PrintWriter(errors));
    }

    @AfterEach
    void tearDown() throws Exception {
        records.close();
        pool.close();
    }

    private FullHttpResponse send(HttpMethod method, String uri, String body, IPAddress peer, String... headers) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return checks.answer(request, peer);
    }

    private FullHttpResponse get(String uri, String... headers) {
        return send(HttpMethod.GET, uri, "", PEER, headers);
    }

    private static String body(FullHttpResponse response) {
        return response.content().toString(StandardCharsets.UTF_8);
    }

    @Test
    void authzAllowsAValidTokenWithTheHeadersGatewaysRead() {
        String token = local.tokenctl("token", "create", "--name", "café-gw", "--permission", "ReadHealthCheck,ManageCluster",
                "--expires-in", "1d");
        FullHttpResponse ok = get("/v1/authz?require=ReadHealthCheck", "Authorization", "Bearer " + token);
        assertThat(ok.status().code()).isEqualTo(200);
        assertThat(ok.headers().get("X-Token-Id")).isEqualTo(token.substring(0, token.indexOf('~')));
        assertThat(ok.headers().get("X-Token-Name")).isEqualTo("caf%C3%A9-gw");
        assertThat(ok.headers().get("X-Token-Permissions")).contains("ManageCluster", "ReadHealthCheck").doesNotContain(" ");
        assertThat(ok.headers().get("X-Token-Expires-At")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(body(ok)).doesNotContain(token.substring(22));

        assertThat(get("/v1/authz/any/path/below", "authorization", "bearer " + token).status().code())
                .as("a path below, the scheme in any case").isEqualTo(200);
        String plain = local.tokenctl("token", "create", "--name", "plain", "--permission", "ReadHealthCheck", "--no-expiry");
        FullHttpResponse forever = get("/v1/authz", "Authorization", "Bearer " + plain);
        assertThat(forever.status().code()).isEqualTo(200);
        assertThat(forever.headers().get("X-Token-Name")).isEqualTo("plain");
        assertThat(forever.headers().contains("X-Token-Expires-At")).as("no expiry, no header").isFalse();
        assertThat(accessLog.toString()).contains("\"endpoint\":\"authz\"", "\"decision\":\"allow\"")
                .doesNotContain(token.substring(22));
    }

    @Test
    void authzDeniesWithTheStatusAndChallengeTheContractNames() {
        String token = local.tokenctl("token", "create", "--name", "gw", "--permission", "ReadHealthCheck", "--no-expiry");
        String revoked = local.tokenctl("token", "create", "--name", "old", "--permission", "ReadHealthCheck", "--no-expiry");
        local.tokenctl("token", "revoke", "old");
        String invalid = "Bearer realm=\"tokenctl\", error=\"invalid_token\"";
        String scope = "Bearer realm=\"tokenctl\", error=\"insufficient_scope\"";

        FullHttpResponse none = get("/v1/authz");
        assertThat(none.status().code()).isEqualTo(401);
        assertThat(none.headers().get("WWW-Authenticate")).isEqualTo("Bearer realm=\"tokenctl\"");
        for (String[] headers : new String[][] {
            {"Authorization", "Bearer " + revoked},
            {"Authorization", "Bearer tctl_nonsense"},
            {"Authorization", "Bearer " + token.substring(0, token.length() - 1) + "x"},
            {"Authorization", "Basic " + token},
            {"Authorization", "Bearer " + token, "Authorization", "Bearer " + token},
            {"Authorization", "Bearer " + "a".repeat(1025)},
            {"Authorization", "Bearer"}}) {
            FullHttpResponse denied = get("/v1/authz", headers);
            assertThat(denied.status().code()).as(headers[1]).isEqualTo(401);
            assertThat(denied.headers().get("WWW-Authenticate")).isEqualTo(invalid);
            assertThat(body(denied)).isEqualTo("{\"error\":\"invalid_token\"}");
        }
        for (String[] request : new String[][] {{"/v1/authz?require=ManageCluster"},
            {"/v1/authz", "X-Tokenctl-Require", "ManageCluster"},
            {"/v1/authz?require=ReadHealthCheck", "X-Tokenctl-Require", "ReadHealthCheck,ManageCluster"},
            {"/v1/authz?require=NoSuchPermission"}}) {
            String[] headers = new String[request.length + 1];
            headers[0] = "Authorization";
            headers[1] = "Bearer " + token;
            System.arraycopy(request, 1, headers, 2, request.length - 1);
            FullHttpResponse denied = get(request[0], headers);
            assertThat(denied.status().code()).as(String.join(" ", request)).isEqualTo(403);
            assertThat(denied.headers().get("WWW-Authenticate")).isEqualTo(scope);
            assertThat(denied.headers().contains("X-Token-Id")).isFalse();
        }
        assertThat(accessLog.toString()).contains("not a permission: NoSuchPermission", "\"reason\":\"revoked\"",
                "\"reason\":\"missing-permission\"");
        assertThat(get("/v1/authz?require=ReadHealthCheck,%20", "Authorization", "Bearer " + token).status().code())
                .as("blank names ask for nothing").isEqualTo(200);
        assertThat(get("/v1/authzx", "Authorization", "Bearer " + token).status().code()).isEqualTo(404);
        assertThat(get("/nope").status().code()).isEqualTo(404);
    }

    @Test
    void authzChecksIpFiltersAgainstTheClientThatTrustedProxiesName() {
        local.tokenctl("ipfilter", "add", "office", "--rule", "allow 192.168.0.0/16");
        String token = local.tokenctl("token", "create", "--name", "gw", "--permission", "ReadHealthCheck", "--no-expiry",
                "--ip-filter", "office");
        IPAddress proxy = ClientAddress.parse("10.0.0.1");
        assertThat(send(HttpMethod.GET, "/v1/authz", "", ClientAddress.parse("192.168.1.1"), "Authorization",
                "Bearer " + token).status().code()).isEqualTo(200);
        assertThat(send(HttpMethod.GET, "/v1/authz", "", PEER, "Authorization", "Bearer " + token, "X-Forwarded-For",
                "192.168.1.1").status().code()).as("an untrusted peer's header is not believed").isEqualTo(403);
        assertThat(send(HttpMethod.GET, "/v1/authz", "", proxy, "Authorization", "Bearer " + token, "X-Forwarded-For",
                "192.168.1.1").status().code()).isEqualTo(200);
        assertThat(send(HttpMethod.GET, "/v1/authz", "", proxy, "Authorization", "Bearer " + token, "X-Forwarded-For",
                "8.8.8.8:53").status().code()).as("an unreadable hop: no client").isEqualTo(403);
        assertThat(accessLog.toString()).contains("\"reason\":\"ip-denied\"", "\"reason\":\"ip-required\"",
                "\"client\":\"192.168.1.1\"");
    }

    @Test
    void introspectionAnswersRfc7662ForNamedCallersOnly() {
        String caller = local.tokenctl("token", "create", "--name", "kong", "--permission", "ReadHealthCheck", "--no-expiry");
        String other = local.tokenctl("token", "create", "--name", "other", "--permission", "ReadHealthCheck", "--no-expiry");
        String token = local.tokenctl("token", "create", "--name", "svc", "--permission", "ReadHealthCheck,ManageCluster",
                "--expires-in", "1h");
        local.tokenctl("ipfilter", "add", "office", "--rule", "allow 192.168.0.0/16");
        String filtered = local.tokenctl("token", "create", "--name", "filtered", "--permission", "ReadHealthCheck",
                "--no-expiry", "--ip-filter", "office");
        String form = "application/x-www-form-urlencoded";

        FullHttpResponse active = send(HttpMethod.POST, "/v1/introspect", "token=" + token, PEER,
                "Authorization", "Bearer " + caller, "Content-Type", form);
        assertThat(active.status().code()).isEqualTo(200);
        String id = token.substring(0, token.indexOf('~'));
        assertThat(body(active)).startsWith("{\"active\":true,\"scope\":\"").contains("\"client_id\":\"" + id + "\"",
                "\"username\":\"svc\"", "\"sub\":\"" + id + "\"", "\"jti\":\"" + id + "\"", "\"token_type\":\"Bearer\"",
                "\"iat\":", "\"exp\":").containsPattern("\"scope\":\"(ManageCluster ReadHealthCheck|ReadHealthCheck ManageCluster)\"");
        FullHttpResponse forever = send(HttpMethod.POST, "/v1/introspect", "token=" + other + "&token_type_hint=access_token",
                PEER, "Authorization", "Bearer " + caller);
        assertThat(body(forever)).contains("\"active\":true").doesNotContain("\"exp\"");

        for (String body : new String[] {"token=tctl_nonsense", "", "token=" + filtered, "token=" + filtered + "&client_ip=10.1.1.1",
            "token=" + token + "&client_ip=not-an-address"}) {
            FullHttpResponse inactive = send(HttpMethod.POST, "/v1/introspect", body, PEER, "Authorization", "Bearer " + caller);
            assertThat(inactive.status().code()).as(body).isEqualTo(200);
            assertThat(body(inactive)).as(body).isEqualTo("{\"active\":false}");
        }
        assertThat(body(send(HttpMethod.POST, "/v1/introspect", "token=" + filtered + "&client_ip=192.168.3.4", PEER,
                "Authorization", "Bearer " + caller))).contains("\"active\":true");

        assertThat(send(HttpMethod.POST, "/v1/introspect", "token=" + token, PEER).status().code()).isEqualTo(401);
        assertThat(send(HttpMethod.POST, "/v1/introspect", "token=" + token, PEER, "Authorization", "Bearer " + other)
                .status().code()).as("a caller not named").isEqualTo(401);
        FullHttpResponse get = send(HttpMethod.GET, "/v1/introspect", "", PEER, "Authorization", "Bearer " + caller);
        assertThat(get.status().code()).isEqualTo(405);
        assertThat(get.headers().get("Allow")).isEqualTo("POST");
    }

    @Test
    void healthAndMetricsDescribeTheServerAndItsTokens() {
        String token = local.tokenctl("token", "create", "--name", "soon", "--permission", "ReadHealthCheck", "--expires-in", "2d");
        local.tokenctl("token", "create", "--name", "later", "--permission", "ReadHealthCheck", "--expires-in", "60d");
        FullHttpResponse health = get("/healthz");
        assertThat(health.status().code()).isEqualTo(200);
        assertThat(body(health)).isEqualTo("ok\n");
        get("/v1/authz", "Authorization", "Bearer " + token);
        get("/v1/authz", "Authorization", "Bearer " + token);
        get("/v1/authz");
        FullHttpResponse metrics = get("/metrics");
        assertThat(metrics.status().code()).isEqualTo(200);
        assertThat(metrics.headers().get("Content-Type")).startsWith("text/plain; version=0.0.4");
        assertThat(body(metrics)).contains(
                "tokenctl_requests_total{endpoint=\"authz\",decision=\"allow\",reason=\"valid\"} 2",
                "tokenctl_requests_total{endpoint=\"authz\",decision=\"deny\",reason=\"no-token\"} 1",
                "tokenctl_request_duration_seconds_count{endpoint=\"authz\"} 3",
                "tokenctl_tokens{status=\"active\"} 2",
                "tokenctl_token_expiry_timestamp_seconds{id=\"" + token.substring(0, token.indexOf('~')) + "\",name=\"soon\"}")
                .doesNotContain("name=\"later\"");
    }

    @Test
    void storeConnectionsAreReusedAcrossRequestsOfEveryEndpoint() {
        String token = local.tokenctl("token", "create", "--name", "kong", "--permission", "ReadHealthCheck", "--no-expiry");
        for (int i = 0; i < 5; i++) {
            assertThat(get("/v1/authz", "Authorization", "Bearer " + token).status().code()).isEqualTo(200);
            assertThat(send(HttpMethod.POST, "/v1/introspect", "token=" + token, PEER, "Authorization", "Bearer " + token)
                    .status().code()).isEqualTo(200);
            assertThat(get("/healthz").status().code()).isEqualTo(200);
            assertThat(get("/metrics").status().code()).isEqualTo(200);
        }
        // One for the requests, and the record writer's own.
        assertThat(made.get()).as("applications made for 20 requests").isLessThanOrEqualTo(3);
    }

    @Test
    void aStoreThatCannotBeOpenedGives503AndMetricsWithoutGauges() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("broken.db"));
        Map<String, String> broken = Map.of("TOKENCTL_DB", dir.resolve("broken.db").toString(), "HOME", dir.toString());
        Supplier<Application> applications = () -> {
            made.incrementAndGet();
            return new Application(new Context(broken, Clock.systemUTC(), ZoneOffset.UTC, new ByteArrayInputStream(new byte[0]),
                    false, "tester").environment(), warning -> { });
        };
        StringWriter log = new StringWriter();
        try (Pool failing = new Pool(applications, 2);
             RecordWriter writer = new RecordWriter(new Pool(applications, 2), new PrintWriter(new StringWriter()))) {
            ServeOptions options = new ServeOptions("127.0.0.1", 0, List.of(), List.of("kong"), null, null, false, "-",
                    Duration.ofDays(30));
            Metrics counted = new Metrics();
            Observed unavailable = new Observed(new Endpoints(failing, writer, new ClientAddress(List.of()), options, counted),
                    counted, AccessLog.open("-", new PrintWriter(log)), new PrintWriter(new StringWriter()));
            String token = local.tokenctl("token", "create", "--name", "kong", "--permission", "ReadHealthCheck", "--no-expiry");
            int before = made.get();
            FullHttpResponse authz = unavailable.answer(request(HttpMethod.GET, "/v1/authz", "", "Authorization", "Bearer " + token), PEER);
            assertThat(authz.status().code()).isEqualTo(503);
            assertThat(authz.headers().contains("WWW-Authenticate")).isFalse();
            assertThat(body(authz)).isEqualTo("{\"error\":\"temporarily_unavailable\"}");
            assertThat(unavailable.answer(request(HttpMethod.POST, "/v1/introspect", "token=" + token, "Authorization",
                    "Bearer " + token), PEER).status().code()).isEqualTo(503);
            // Each probe ends, with a failure; none may pass for an answer, however long it took.
            for (int i = 0; i < 6; i++) {
                Thread.sleep(300);
                FullHttpResponse health = unavailable.answer(request(HttpMethod.GET, "/healthz", ""), PEER);
                assertThat(health.status().code()).isEqualTo(503);
                assertThat(body(health)).isEqualTo("store unavailable\n");
            }
            FullHttpResponse metrics = unavailable.answer(request(HttpMethod.GET, "/metrics", ""), PEER);
            assertThat(metrics.status().code()).isEqualTo(200);
            assertThat(body(metrics)).contains("tokenctl_requests_total{endpoint=\"authz\",decision=\"error\",reason=\"store-error\"} 1")
                    .doesNotContain("tokenctl_tokens{");
            assertThat(made.get() - before).as("a failed connection is not kept").isGreaterThanOrEqualTo(5);
            java.nio.file.Files.delete(dir.resolve("broken.db"));
            int status = 0;
            for (int i = 0; i < 30 && status != 200; i++) {
                Thread.sleep(100);
                status = unavailable.answer(request(HttpMethod.GET, "/healthz", ""), PEER).status().code();
            }
            assertThat(status).as("a store that can be opened again is healthy again").isEqualTo(200);
            assertThat(log.toString()).contains("\"decision\":\"error\"", "\"reason\":\"store-error\"", "\"detail\":\"");
        }
    }

    @Test
    void anErrorInsideAnEndpointIsA500AndOneLineNeverAHungRequest() {
        StringWriter log = new StringWriter();
        StringWriter errors = new StringWriter();
        Supplier<Application> exhausted = () -> {
            throw new OutOfMemoryError("Java heap space");
        };
        Pool failing = new Pool(exhausted, 2);
        ServeOptions options = new ServeOptions("127.0.0.1", 0, List.of(), List.of(), null, null, false, "-", Duration.ofDays(30));
        Metrics counted = new Metrics();
        Observed observed = new Observed(new Endpoints(failing, records, new ClientAddress(List.of()), options, counted),
                counted, AccessLog.open("-", new PrintWriter(log)), new PrintWriter(new java.io.BufferedWriter(errors)));
        for (String uri : List.of("/v1/authz", "/metrics")) {
            FullHttpResponse answer = observed.answer(request(HttpMethod.GET, uri, "", "Authorization", "Bearer x"), PEER);
            assertThat(answer.status().code()).as(uri).isEqualTo(500);
            assertThat(body(answer)).isEqualTo("{\"error\":\"server_error\"}");
        }
        assertThat(errors.toString()).isEqualTo(
                "tokenctl: error: internal error answering authz: OutOfMemoryError (the client got 500; report it)\n"
                + "tokenctl: error: internal error answering metrics: OutOfMemoryError (the client got 500; report it)\n");
        assertThat(log.toString()).contains("\"endpoint\":\"authz\",\"status\":500,\"decision\":\"error\",\"reason\":\"internal-error\"");
    }

    @Test
    void oneScrapeReadsTheStoreAtATimeAndAnotherGets503AfterWaitingItsTurn() throws Exception {
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Supplier<Application> slow = () -> {
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return local.application();
        };
        ServeOptions options = new ServeOptions("127.0.0.1", 0, List.of(), List.of(), null, null, false, null, Duration.ofDays(30));
        Metrics counted = new Metrics();
        Observed observed = new Observed(new Endpoints(new Pool(slow, 2), records, new ClientAddress(List.of()), options, counted),
                counted, AccessLog.open(null, new PrintWriter(new StringWriter())), new PrintWriter(errors));
        java.util.concurrent.CompletableFuture<FullHttpResponse> first = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> observed.answer(request(HttpMethod.GET, "/metrics", ""), PEER));
        inside.await();
        FullHttpResponse second = observed.answer(request(HttpMethod.GET, "/metrics", ""), PEER);
        assertThat(second.status().code()).isEqualTo(503);
        assertThat(second.headers().get("Retry-After")).isEqualTo("2");
        release.countDown();
        FullHttpResponse answered = first.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answered.status().code()).isEqualTo(200);
        assertThat(body(answered)).contains("tokenctl_tokens{status=\"active\"}");
        assertThat(body(observed.answer(request(HttpMethod.GET, "/metrics", ""), PEER))).as("its turn once the other is done")
                .contains("tokenctl_tokens{status=\"active\"}",
                        "tokenctl_requests_total{endpoint=\"metrics\",decision=\"none\",reason=\"busy\"} 1");
    }

    @Test
    void introspectionCallersAuthenticateAsOAuthClientsAndEveryRefusalIsCountedWithItsReason() {
        String caller = local.tokenctl("token", "create", "--name", "kong", "--permission", "ReadHealthCheck", "--no-expiry");
        String token = local.tokenctl("token", "create", "--name", "svc", "--permission", "ReadHealthCheck", "--no-expiry");
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("kong:" + caller).getBytes(StandardCharsets.UTF_8));
        assertThat(body(send(HttpMethod.POST, "/v1/introspect", "token=" + token, PEER, "Authorization", basic)))
                .contains("\"active\":true");
        assertThat(body(send(HttpMethod.POST, "/v1/introspect", "token=" + token + "&client_id=kong&client_secret="
                + java.net.URLEncoder.encode(caller, StandardCharsets.UTF_8), PEER))).as("the pair in the form")
                .contains("\"active\":true");
        String wrong = "Basic " + java.util.Base64.getEncoder().encodeToString(("svc:" + caller).getBytes(StandardCharsets.UTF_8));
        for (String refused : List.of(wrong, "Basic %%%", "Basic " + java.util.Base64.getEncoder().encodeToString(
                "no-colon".getBytes(StandardCharsets.UTF_8)))) {
            FullHttpResponse answer = send(HttpMethod.POST, "/v1/introspect", "token=" + token, PEER, "Authorization", refused);
            assertThat(answer.status().code()).as(refused).isEqualTo(401);
            assertThat(answer.headers().get("WWW-Authenticate")).isEqualTo("Basic realm=\"tokenctl\"");
            assertThat(body(answer)).isEqualTo("{\"error\":\"invalid_client\"}");
        }
        assertThat(send(HttpMethod.GET, "/v1/introspect", "", PEER, "Authorization", basic).status().code()).isEqualTo(405);
        assertThat(body(send(HttpMethod.POST, "/v1/introspect", "client_ip=" + token, PEER, "Authorization", basic)))
                .as("no token to check").isEqualTo("{\"active\":false}");
        assertThat(body(get("/metrics"))).contains(
                "tokenctl_requests_total{endpoint=\"introspect\",decision=\"deny\",reason=\"caller-refused\"} 3",
                "tokenctl_requests_total{endpoint=\"introspect\",decision=\"deny\",reason=\"method-not-allowed\"} 1",
                "tokenctl_requests_total{endpoint=\"introspect\",decision=\"deny\",reason=\"malformed\"} 1");
    }

    private static FullHttpRequest request(HttpMethod method, String uri, String body, String... headers) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    @Test
    void aRetiringTokenIsValidUntilItsGraceOrItsExpiryWhicheverComesFirst() {
        String caller = local.tokenctl("token", "create", "--name", "kong", "--permission", "ReadHealthCheck", "--no-expiry");
        local.tokenctl("policy", "set", "--max-rotation-grace", "1d");
        String graced = local.tokenctl("token", "create", "--name", "graced", "--permission", "ReadHealthCheck", "--expires-in", "7d");
        local.tokenctl("token", "rotate", "graced", "--grace", "1h");
        String soon = local.tokenctl("token", "create", "--name", "soon", "--permission", "ReadHealthCheck", "--expires-in", "30m");
        local.tokenctl("token", "rotate", "soon", "--grace", "2h");
        String forever = local.tokenctl("token", "create", "--name", "forever", "--permission", "ReadHealthCheck", "--no-expiry");
        local.tokenctl("token", "rotate", "forever", "--grace", "3h");
        long now = java.time.Instant.now().getEpochSecond();
        assertThat(exp(caller, forever) - now).as("no expiry: the grace's end").isBetween(3 * 3600L - 10, 3 * 3600L + 10);
        assertThat(exp(caller, graced) - now).as("the grace ends first").isBetween(3590L, 3610L);
        assertThat(exp(caller, soon) - now).as("the expiry comes first").isBetween(1790L, 1810L);
        assertThat(java.time.Instant.parse(get("/v1/authz", "Authorization", "Bearer " + graced).headers()
                .get("X-Token-Expires-At")).getEpochSecond()).isEqualTo(exp(caller, graced));
    }

    /** The server's verifier judges a grace by its application's clock, moved here by an hour. */
    @Test
    void aRetiringTokenIsDeniedFromTheEndOfItsGrace() {
        String old = local.tokenctl("token", "create", "--name", "svc", "--permission", "ReadHealthCheck", "--no-expiry");
        String fresh = local.tokenctl("token", "rotate", "svc", "--grace", "1h");
        FullHttpResponse during = get("/v1/authz", "Authorization", "Bearer " + old);
        assertThat(during.status().code()).isEqualTo(200);
        assertThat(during.headers().get("X-Token-Expires-At")).as("the grace's end").isNotNull();
        assertThat(get("/v1/authz", "Authorization", "Bearer " + fresh).headers().contains("X-Token-Expires-At"))
                .as("the new generation never expires").isFalse();
        local.clock.move(Duration.ofMinutes(59));
        assertThat(get("/v1/authz", "Authorization", "Bearer " + old).status().code()).as("a minute left").isEqualTo(200);
        local.clock.move(Duration.ofSeconds(61));
        assertThat(get("/v1/authz", "Authorization", "Bearer " + old).status().code()).as("the grace is over").isEqualTo(401);
        assertThat(get("/v1/authz", "Authorization", "Bearer " + fresh).status().code()).isEqualTo(200);
    }

    private long exp(String caller, String token) {
        String answer = body(send(HttpMethod.POST, "/v1/introspect", "token=" + token, PEER, "Authorization", "Bearer " + caller));
        java.util.regex.Matcher exp = java.util.regex.Pattern.compile("\"exp\":(\\d+)").matcher(answer);
        assertThat(exp.find()).as(answer).isTrue();
        return Long.parseLong(exp.group(1));
    }

    @Test
    void introspectionTellsAMissingCallerFromARefusedOneAndAnInactiveTokenIsDenied() {
        String caller = local.tokenctl("token", "create", "--name", "kong", "--permission", "ReadHealthCheck", "--no-expiry");
        String other = local.tokenctl("token", "create", "--name", "other", "--permission", "ReadHealthCheck", "--no-expiry");
        FullHttpResponse none = send(HttpMethod.POST, "/v1/introspect", "token=" + other, PEER);
        assertThat(none.headers().get("WWW-Authenticate")).isEqualTo("Bearer realm=\"tokenctl\"");
        FullHttpResponse refused = send(HttpMethod.POST, "/v1/introspect", "token=" + other, PEER, "Authorization", "Bearer " + other);
        assertThat(refused.headers().get("WWW-Authenticate")).isEqualTo("Bearer realm=\"tokenctl\", error=\"invalid_token\"");
        local.tokenctl("token", "revoke", "other", "--yes");
        assertThat(body(send(HttpMethod.POST, "/v1/introspect", "token=" + other, PEER, "Authorization", "Bearer " + caller)))
                .isEqualTo("{\"active\":false}");
        List<String> lines = accessLog.toString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("\"reason\":\"no-token\"");
        assertThat(lines.get(1)).contains("\"reason\":\"caller-refused\"");
        assertThat(lines.get(2)).contains("\"endpoint\":\"introspect\",\"status\":200,\"decision\":\"deny\",\"reason\":\"revoked\"");
    }

    @Test
    void aRequirementThatCannotBeDecodedIsANameNoTokenHolds() {
        String token = local.tokenctl("token", "create", "--name", "svc", "--permission", "ReadHealthCheck", "--no-expiry");
        FullHttpResponse denied = get("/v1/authz?require=%ZZ", "Authorization", "Bearer " + token);
        assertThat(denied.status().code()).isEqualTo(403);
        assertThat(accessLog.toString()).contains("\"detail\":\"not a permission: %ZZ\"",
                "\"status\":403,\"decision\":\"deny\",\"reason\":\"missing-permission\"");
    }

    @Test
    void durationsAreMeasuredFromTheRequestsStart() {
        get("/v1/authz");
        String metrics = body(get("/metrics"));
        String sum = metrics.lines().filter(l -> l.startsWith("tokenctl_request_duration_seconds_sum{endpoint=\"authz\"}"))
                .findFirst().orElseThrow();
        assertThat(Double.parseDouble(sum.substring(sum.lastIndexOf(' ') + 1))).isBetween(0.0, 5.0);
        java.util.regex.Matcher ms = java.util.regex.Pattern.compile("\"duration_ms\":([0-9.E-]+)").matcher(accessLog.toString());
        assertThat(ms.find()).as(accessLog.toString()).isTrue();
        assertThat(Double.parseDouble(ms.group(1))).isBetween(0.0, 5000.0);
    }

    @Test
    void headerTextIsPlainPrintableAsciiOrPercentEncodedUtf8() {
        assertThat(Endpoints.headerText("a b~z")).isEqualTo("a b~z");
        assertThat(Endpoints.headerText("50%")).isEqualTo("50%25");
        assertThat(Endpoints.headerText("x\u007f")).isEqualTo("x%7F");
        assertThat(Endpoints.headerText("\u001fz")).isEqualTo("%1Fz");
        assertThat(Endpoints.headerText("é ~!")).isEqualTo("%C3%A9 ~!");
    }

    @Test
    void thePathOfARequestTargetInOriginOrAbsoluteForm() {
        assertThat(Route.path("/v1/authz?require=x")).isEqualTo("/v1/authz");
        assertThat(Route.path("?require=x")).isEmpty();
        assertThat(Route.path("/v1/authz")).isEqualTo("/v1/authz");
        assertThat(Route.path("http://gw.example/v1/authz?a=b")).isEqualTo("/v1/authz");
        assertThat(Route.path("http://gw.example")).isEqualTo("/");
        assertThat(Route.path("h://x/y")).isEqualTo("/y");
        assertThat(Route.path("://x/y")).as("no scheme before ://").isEqualTo("://x/y");
        assertThat(Route.path("/a://x/y")).isEqualTo("/a://x/y");
    }
}
