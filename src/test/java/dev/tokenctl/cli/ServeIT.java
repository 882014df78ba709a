package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * tokenctl serve as gateways and introspection clients call it: the real launcher, a real HTTP
 * client, on each engine. Every answer is checked by status, headers and body. The tests run
 * side by side: most of their time is spent waiting on a server's deadlines.
 */
@ParameterizedClass
@EnumSource(Engine.class)
@Execution(ExecutionMode.CONCURRENT)
class ServeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Parameter
    Engine engine;
    @TempDir
    Path dir;
    Map<String, String> env;
    Process server;
    String base;
    Path serverErr;

    @BeforeEach
    void setUp() {
        env = engine.env(engine.newStore(dir));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Prepares or changes the store as an administrator would, in this JVM (see {@link InProcess}). */
    private String tokenctl(String... args) {
        return InProcess.tokenctl(dir, env, args);
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Starts serve with {@code more} options and waits for its ready line. */
    private void serve(String... more) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(LauncherIT.LAUNCHER.toString(), "serve", "--listen",
                "127.0.0.1:" + port));
        command.addAll(List.of(more));
        serverErr = dir.resolve("serve.err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("serve.out").toFile()).redirectError(serverErr.toFile());
        builder.environment().putAll(env);
        server = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.readString(serverErr).contains("serving on") && System.nanoTime() < deadline) {
            assertThat(server.isAlive()).as(Files.readString(serverErr)).isTrue();
            Thread.sleep(20);
        }
        assertThat(Files.readString(serverErr)).contains("tokenctl: serving on http://127.0.0.1:" + port)
                .doesNotContain(TestPostgres.PASSWORD == null ? "\u0000" : TestPostgres.PASSWORD);
        base = "http://127.0.0.1:" + port;
    }

    /** For tests of how connections are handled, which never reach the store: the same on either engine. */
    private void onSqliteAlone() {
        org.junit.jupiter.api.Assumptions.assumeTrue(engine == Engine.SQLITE, "the connection's handling is the same on either store");
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> introspect(String caller, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/v1/introspect"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (caller != null) {
            request.header("Authorization", "Bearer " + caller);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void authzAnswersAsGatewaysExpect() throws Exception {
        String token = tokenctl("token", "create", "--name", "gw-caf\u00e9", "--permission", "ReadHealthCheck,ViewOrganizations",
                "--expires-in", "7d");
        String revoked = tokenctl("token", "create", "--name", "old", "--permission", "ReadHealthCheck", "--no-expiry");
        serve();
        HttpResponse<String> ok = get("/v1/authz?require=ReadHealthCheck", "Authorization", "bearer " + token);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("X-Token-Id")).hasValue(token.substring(0, token.indexOf('~')));
        assertThat(ok.headers().firstValue("X-Token-Name")).hasValue("gw-caf%C3%A9");
        assertThat(ok.headers().firstValue("X-Token-Permissions")).hasValue("ReadHealthCheck,ViewOrganizations");
        assertThat(ok.headers().firstValue("X-Token-Expires-At")).isPresent();
        assertThat(ok.body()).doesNotContain(token);
        // Envoy appends the client's path.
        assertThat(get("/v1/authz/some/path?x=1", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);

        HttpResponse<String> none = get("/v1/authz");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"tokenctl\"");
        tokenctl("token", "revoke", "old");
        for (String bad : List.of("garbage", token + "x", "tctl_0000000000000000~" + "a".repeat(49), revoked)) {
            HttpResponse<String> denied = get("/v1/authz", "Authorization", "Bearer " + bad);
            assertThat(denied.statusCode()).as(bad).isEqualTo(401);
            assertThat(denied.headers().firstValue("WWW-Authenticate"))
                    .hasValue("Bearer realm=\"tokenctl\", error=\"invalid_token\"");
            assertThat(denied.body()).isEqualTo("{\"error\":\"invalid_token\"}");
        }
        assertThat(get("/v1/authz", "Authorization", "Basic " + token).statusCode()).isEqualTo(401);
        assertThat(get("/v1/authz", "Authorization", "Bearer " + "x".repeat(2000)).statusCode()).isEqualTo(401);

        for (String[] scope : List.of(new String[] {"/v1/authz?require=ManageCluster"},
                new String[] {"/v1/authz", "X-Tokenctl-Require", "ReadHealthCheck,ManageCluster"},
                new String[] {"/v1/authz?require=NoSuchPermission"})) {
            String[] headers = new String[scope.length + 1];
            headers[0] = "Authorization";
            headers[1] = "Bearer " + token;
            System.arraycopy(scope, 1, headers, 2, scope.length - 1);
            HttpResponse<String> forbidden = get(scope[0], headers);
            assertThat(forbidden.statusCode()).as(String.join(" ", scope)).isEqualTo(403);
            assertThat(forbidden.headers().firstValue("WWW-Authenticate"))
                    .hasValue("Bearer realm=\"tokenctl\", error=\"insufficient_scope\"");
        }
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        assertThat(get("/healthz").body()).isEqualTo("ok\n");
        String metrics = get("/metrics").body();
        assertThat(metrics).contains("tokenctl_requests_total{endpoint=\"authz\",decision=\"allow\",reason=\"valid\"} 2",
                "tokenctl_requests_total{endpoint=\"authz\",decision=\"deny\",reason=\"revoked\"} 1",
                "tokenctl_request_duration_seconds_count{endpoint=\"authz\"}", "tokenctl_tokens{status=\"active\"} 1",
                "tokenctl_token_expiry_timestamp_seconds{id=\"" + token.substring(0, token.indexOf('~')))
                .doesNotContain(token.substring(token.indexOf('~')));
        if (Files.isExecutable(Path.of("/usr/bin/promtool")) || "true".equals(System.getenv("CI"))) {
            Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
            promtool.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
            promtool.getOutputStream().close();
            String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(promtool.waitFor()).as("promtool check metrics: " + said).isZero();
        }
        // The denied check of an existing token reaches the audit, off the request path.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!tokenctl("audit", "list").contains("verify-denied") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(tokenctl("audit", "list")).contains("verify-denied", "reason=revoked");
    }

    @Test
    void aRevokedTokenIsDeniedByTheNextRequestEveryTime() throws Exception {
        serve();
        int stale = 0;
        for (int i = 0; i < 8; i++) {
            String token = tokenctl("token", "create", "--name", "f" + i, "--permission", "ReadHealthCheck", "--no-expiry");
            assertThat(get("/v1/authz", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
            tokenctl("token", "revoke", "f" + i);
            if (get("/v1/authz", "Authorization", "Bearer " + token).statusCode() != 401) {
                stale++;
            }
        }
        assertThat(stale).as("answers that missed a revocation committed before the request").isZero();
        // Policy changes too: tokens off, then on.
        String token = tokenctl("token", "create", "--name", "p", "--permission", "ReadHealthCheck", "--no-expiry");
        tokenctl("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8");
        tokenctl("policy", "set", "--enforce-ip-filter", "office", "--yes");
        assertThat(get("/v1/authz", "Authorization", "Bearer " + token).statusCode()).isEqualTo(403);
    }

    @Test
    void theClientAddressComesFromTrustedProxiesOnly() throws Exception {
        tokenctl("ipfilter", "add", "office", "--rule", "allow 10.20.0.0/16");
        String token = tokenctl("token", "create", "--name", "office", "--permission", "ReadHealthCheck", "--no-expiry",
                "--ip-filter", "office");
        serve("--trusted-proxy", "127.0.0.1");
        assertThat(get("/v1/authz", "Authorization", "Bearer " + token).statusCode()).as("the peer itself").isEqualTo(403);
        assertThat(get("/v1/authz", "Authorization", "Bearer " + token, "X-Forwarded-For", "10.20.1.2").statusCode())
                .isEqualTo(200);
        // A client's own X-Forwarded-For entry is to the left of what the proxy appended: not believed.
        assertThat(get("/v1/authz", "Authorization", "Bearer " + token, "X-Forwarded-For", "10.20.1.2, 192.0.2.7")
                .statusCode()).isEqualTo(403);
        assertThat(get("/v1/authz", "Authorization", "Bearer " + token, "X-Real-IP", "10.20.1.2").statusCode())
                .isEqualTo(200);
        // A hop that is not an address leaves the client unknown: never the proxy's own address.
        tokenctl("ipfilter", "add", "with-proxy", "--rule", "allow 10.20.0.0/16", "--rule", "allow 127.0.0.1");
        String both = tokenctl("token", "create", "--name", "both", "--permission", "ReadHealthCheck", "--no-expiry",
                "--ip-filter", "with-proxy");
        assertThat(get("/v1/authz", "Authorization", "Bearer " + both).statusCode()).isEqualTo(200);
        for (String hops : List.of("8.8.8.8:1234", "8.8.8.8, garbage")) {
            assertThat(get("/v1/authz", "Authorization", "Bearer " + both, "X-Forwarded-For", hops).statusCode())
                    .as(hops).isEqualTo(403);
        }
    }

    @Test
    void odderRequestTargetsAndUnreadableRequirementsNeverAllowMore() throws Exception {
        String token = tokenctl("token", "create", "--name", "t", "--permission", "ReadHealthCheck", "--no-expiry");
        serve();
        int port = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
        for (String target : List.of("http://evil?x=/v1/authz", "http://h?/metrics")) {
            assertThat(raw(port, target, token)).as(target).startsWith("HTTP/1.1 404");
        }
        assertThat(raw(port, "/v1/authz?require=%ZZ&require=ReadHealthCheck", token))
                .as("a requirement that cannot be read is never dropped").startsWith("HTTP/1.1 403");
        assertThat(raw(port, "/v1/authz?require=ReadHealthCheck", token)).startsWith("HTTP/1.1 200");
    }

    /** The whole answer to a GET of {@code target}, written as given, with the token. */
    private static String raw(int port, String target, String token) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void aStoreThatAcceptsAndNeverAnswersHoldsUpNeitherHealthNorSigterm() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(engine == Engine.SQLITE, "the store is a socket of the test's own");
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());  // accepted, and never a byte in answer
                    }
                } catch (java.io.IOException closed) {
                    // The test is over.
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            env.put("TOKENCTL_DB", "postgresql://nobody@127.0.0.1:" + silent.getLocalPort() + "/db?sslmode=disable");
            serve();
            assertThat(Files.readString(serverErr)).contains("store: not answering yet");
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                assertThat(get("/healthz").statusCode()).isEqualTo(503);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            }
            server.destroy();  // SIGTERM
            assertThat(server.waitFor(20, TimeUnit.SECONDS)).as("SIGTERM is heard while the store hangs").isTrue();
            assertThat(server.exitValue()).isZero();
            for (java.net.Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void introspectionFollowsRfc7662ForCallersNamedOnTheCommandLine() throws Exception {
        String caller = tokenctl("token", "create", "--name", "kong", "--permission", "ReadHealthCheck", "--no-expiry");
        String other = tokenctl("token", "create", "--name", "other", "--permission", "ReadHealthCheck", "--no-expiry");
        String target = tokenctl("token", "create", "--name", "svc", "--permission", "ReadHealthCheck,ManageCluster",
                "--expires-in", "7d");
        tokenctl("ipfilter", "add", "office", "--rule", "allow 10.20.0.0/16");
        String filtered = tokenctl("token", "create", "--name", "filtered", "--permission", "ReadHealthCheck",
                "--no-expiry", "--ip-filter", "office");
        serve("--introspection-caller", "kong");
        assertThat(introspect(null, "token=" + target).statusCode()).isEqualTo(401);
        assertThat(introspect(other, "token=" + target).statusCode()).isEqualTo(401);
        HttpResponse<String> active = introspect(caller, "token=" + target + "&token_type_hint=access_token");
        assertThat(active.statusCode()).isEqualTo(200);
        assertThat(active.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = JSON.readTree(active.body());
        String id = target.substring(0, target.indexOf('~'));
        assertThat(body.get("active").asBoolean()).isTrue();
        assertThat(body.get("scope").asText().split(" ")).containsExactlyInAnyOrder("ManageCluster", "ReadHealthCheck");
        assertThat(body.get("client_id").asText()).isEqualTo(id);
        assertThat(body.get("sub").asText()).isEqualTo(id);
        assertThat(body.get("jti").asText()).isEqualTo(id);
        assertThat(body.get("username").asText()).isEqualTo("svc");
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("exp").asLong()).isGreaterThan(body.get("iat").asLong());
        JsonNode never = JSON.readTree(introspect(caller, "token=" + other).body());
        assertThat(never.has("exp")).isFalse();
        for (String form : List.of("token=garbage", "", "token=" + filtered, "token=" + filtered + "&client_ip=192.0.2.1")) {
            HttpResponse<String> inactive = introspect(caller, form);
            assertThat(inactive.statusCode()).as(form).isEqualTo(200);
            assertThat(inactive.body()).as(form).isEqualTo("{\"active\":false}");
        }
        assertThat(JSON.readTree(introspect(caller, "token=" + filtered + "&client_ip=10.20.3.4").body())
                .get("active").asBoolean()).isTrue();
        assertThat(get("/v1/introspect", "Authorization", "Bearer " + caller).statusCode()).isEqualTo(405);
        assertThat(introspect(caller, "token=" + "x".repeat(17 * 1024)).statusCode()).isEqualTo(413);
    }

    @Test
    void sigtermStopsCleanlyAndBadListenAddressesAreRefused() throws Exception {
        serve();
        long start = System.nanoTime();
        server.destroy();  // SIGTERM
        assertThat(server.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).isZero();
        assertThat(Files.readString(serverErr)).contains("tokenctl: stopped");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

        LauncherIT.Run exposed = LauncherIT.run(LauncherIT.LAUNCHER, dir, env, "", "serve", "--listen", "0.0.0.0:0");
        assertThat(exposed.code()).as(exposed.toString()).isEqualTo(2);
        assertThat(exposed.err()).startsWith("tokenctl: error: --listen 0.0.0.0:0 is not a loopback address").hasLineCount(1);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LauncherIT.Run inUse = LauncherIT.run(LauncherIT.LAUNCHER, dir, env, "", "serve", "--listen",
                    "127.0.0.1:" + taken.getLocalPort());
            assertThat(inUse.code()).as(inUse.toString()).isEqualTo(2);
            assertThat(inUse.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()).hasLineCount(1);
        }
        LauncherIT.Run half = LauncherIT.run(LauncherIT.LAUNCHER, dir, env, "", "serve", "--tls-cert", "x.pem");
        assertThat(half.code()).isEqualTo(2);
    }

    @Test
    void servesHttpsWithAPemCertificateAndRefusesAnExpiredOne() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        String said = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor()).as(said).isZero();
        String token = tokenctl("token", "create", "--name", "tls", "--permission", "ReadHealthCheck", "--no-expiry");
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(LauncherIT.LAUNCHER.toString(), "serve", "--listen", "127.0.0.1:" + port,
                "--tls-cert", cert.toString(), "--tls-key", key.toString()).redirectErrorStream(true);
        builder.environment().putAll(env);
        server = builder.start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).startsWith("tokenctl: serving on https://127.0.0.1:" + port);
        Process curl = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", cert.toString(),
                "-H", "Authorization: Bearer " + token, "https://127.0.0.1:" + port + "/v1/authz").start();
        assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("200");

        LauncherIT.Run mismatched = LauncherIT.run(LauncherIT.LAUNCHER, dir, env, "", "serve", "--listen", "127.0.0.1:0",
                "--tls-cert", cert.toString(), "--tls-key", cert.toString());
        assertThat(mismatched.code()).as(mismatched.toString()).isEqualTo(2);
        assertThat(mismatched.err()).contains("--tls-key", "openssl pkcs8").hasLineCount(1);
    }

    @Test
    void aWriterHoldingTheStoresLockDelaysNoAnswerAndTheAccessLogHasEveryRequest() throws Exception {
        String token = tokenctl("token", "create", "--name", "busy", "--permission", "ReadHealthCheck", "--no-expiry");
        Path accessLog = dir.resolve("access.log");
        serve("--access-log", accessLog.toString());
        assertThat(get("/v1/authz", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        Thread holder = holdWriteLock(Duration.ofSeconds(2));
        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            assertThat(get("/v1/authz", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
            assertThat(get("/v1/authz", "Authorization", "Bearer garbage").statusCode()).isEqualTo(401);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("while the store's write lock is held")
                    .isLessThan(Duration.ofMillis(1000));
        }
        holder.join();
        List<String> lines = Files.readAllLines(accessLog);
        assertThat(lines).hasSize(21);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("endpoint").asText()).isEqualTo("authz");
        assertThat(first.get("status").asInt()).isEqualTo(200);
        assertThat(first.get("decision").asText()).isEqualTo("allow");
        assertThat(first.get("reason").asText()).isEqualTo("valid");
        assertThat(first.get("token_id").asText()).isEqualTo(token.substring(0, token.indexOf('~')));
        assertThat(first.get("remote").asText()).isEqualTo("127.0.0.1");
        assertThat(first.get("client").asText()).isEqualTo("127.0.0.1");
        assertThat(first.has("time")).isTrue();
        assertThat(first.has("duration_ms")).isTrue();
        assertThat(JSON.readTree(lines.get(2)).get("reason").asText()).isEqualTo("malformed");
        assertThat(Files.readString(accessLog)).doesNotContain(token.substring(token.indexOf('~')));
        assertThat(String.join(",", Files.getPosixFilePermissions(accessLog).stream().map(Object::toString).sorted().toList()))
                .isEqualTo("OWNER_READ,OWNER_WRITE");
    }

    /** Holds the store's write lock from another connection, as a CLI writer would, for {@code how long}. */
    private Thread holdWriteLock(Duration howLong) throws Exception {
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        Thread thread = new Thread(() -> {
            try (java.sql.Connection c = engine == Engine.SQLITE
                    ? java.sql.DriverManager.getConnection("jdbc:sqlite:" + env.get("TOKENCTL_DB"))
                    : TestPostgres.connect(env.get("TOKENCTL_DB").substring(env.get("TOKENCTL_DB").lastIndexOf('/') + 1));
                 java.sql.Statement st = c.createStatement()) {
                if (engine == Engine.SQLITE) {
                    c.setAutoCommit(true);
                    st.execute("BEGIN IMMEDIATE");
                } else {
                    c.setAutoCommit(false);
                    st.execute("SELECT pg_advisory_xact_lock(" + 0x746f6b656e63746cL + ")");
                }
                held.countDown();
                Thread.sleep(howLong.toMillis());
                st.execute(engine == Engine.SQLITE ? "ROLLBACK" : "ROLLBACK");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        thread.start();
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        return thread;
    }

    @Test
    void aStoreThatGoesAwayGives503AndTheServerAnswersAgainWhenItIsBack() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(engine == Engine.POSTGRESQL, "a server to take away");
        String token = tokenctl("token", "create", "--name", "pg", "--permission", "ReadHealthCheck", "--no-expiry");
        serve();
        assertThat(get("/v1/authz", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        String database = env.get("TOKENCTL_DB").substring(env.get("TOKENCTL_DB").lastIndexOf('/') + 1);
        // As a restart looks from here: every connection cut, and none taken until the server is back.
        TestPostgres.execute("postgres", "ALTER DATABASE " + database + " ALLOW_CONNECTIONS false",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
        HttpResponse<String> down = get("/v1/authz", "Authorization", "Bearer " + token);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(get("/healthz").statusCode()).isEqualTo(503);
        TestPostgres.execute("postgres", "ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
        long back = System.nanoTime();
        int status = 0;
        while (status != 200 && System.nanoTime() - back < TimeUnit.SECONDS.toNanos(5)) {
            status = get("/v1/authz", "Authorization", "Bearer " + token).statusCode();
        }
        assertThat(status).as("within 5 s of the server's return, with no restart of serve").isEqualTo(200);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(server.isAlive()).isTrue();
    }

    @Test
    void tokenctlMetricsPrintsTheTokenGaugesAlone() throws Exception {
        tokenctl("token", "create", "--name", "soon", "--permission", "ReadHealthCheck", "--expires-in", "3d");
        tokenctl("token", "create", "--name", "later", "--permission", "ReadHealthCheck", "--expires-in", "60d");
        LauncherIT.Run text = LauncherIT.run(LauncherIT.LAUNCHER, dir, env, "", "metrics");
        assertThat(text.code()).as(text.toString()).isZero();
        assertThat(text.out()).contains("tokenctl_tokens{status=\"active\"} 2", "name=\"soon\"").doesNotContain("name=\"later\"",
                "tokenctl_requests_total");
        LauncherIT.Run window = LauncherIT.run(LauncherIT.LAUNCHER, dir, env, "", "metrics", "--metrics-expiry-window", "90d");
        assertThat(window.code()).as(window.toString()).isZero();
        assertThat(window.out()).contains("name=\"later\"");
    }

    @Test
    void oversizedAndSlowRequestsGetAClosedConnectionNeverAStuckServer() throws Exception {
        onSqliteAlone();
        serve();
        int port = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
        List<java.net.Socket> slow = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            java.net.Socket socket = new java.net.Socket("127.0.0.1", port);
            socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            slow.add(socket);  // headers never finished
        }
        try (java.net.Socket big = new java.net.Socket("127.0.0.1", port)) {
            big.setSoTimeout(10_000);
            byte[] header = ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(4_000_000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            try {
                big.getOutputStream().write(header);
                String answer = new String(big.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertThat(answer).doesNotContain("200");
            } catch (java.io.IOException closed) {
                // Closed on it: as good as an error status.
            }
        }
        long start = System.nanoTime();
        assertThat(get("/healthz").statusCode()).as("while 20 clients stall").isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        java.net.Socket first = slow.get(0);
        first.setSoTimeout(20_000);
        assertThat(first.getInputStream().read()).as("a stalled client is cut off").isEqualTo(-1);
        for (java.net.Socket socket : slow) {
            socket.close();
        }
    }

    /**
     * Each answer comes from the file the store's path names when the request arrives: a backup
     * renamed over the store is answered from at the next request, a deleted store gives 503
     * (and /healthz 503) without an empty store made in its place, and a file put back is
     * answered from again.
     */
    @Test
    void aStoreFileRenamedOverOrDeletedIsFollowedByTheNextRequest() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(engine == Engine.SQLITE, "a PostgreSQL store has no file");
        String old = tokenctl("token", "create", "--name", "old", "--permission", "ReadHealthCheck", "--no-expiry");
        Path store = Path.of(env.get("TOKENCTL_DB"));
        Path backup = dir.resolve("backup.db");
        Map<String, String> main = env;
        env = new java.util.HashMap<>(env);
        env.put("TOKENCTL_DB", backup.toString());
        String restored = tokenctl("token", "create", "--name", "restored", "--permission", "ReadHealthCheck", "--no-expiry");
        env = main;
        serve();
        assertThat(get("/v1/authz", "Authorization", "Bearer " + old).statusCode()).isEqualTo(200);
        assertThat(get("/v1/authz", "Authorization", "Bearer " + restored).statusCode()).isEqualTo(401);

        Files.move(backup, store, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertThat(get("/v1/authz", "Authorization", "Bearer " + restored).statusCode()).as("the restored file").isEqualTo(200);
        assertThat(get("/v1/authz", "Authorization", "Bearer " + old).statusCode()).isEqualTo(401);
        tokenctl("token", "revoke", "restored");
        assertThat(get("/v1/authz", "Authorization", "Bearer " + restored).statusCode()).as("revoked in it").isEqualTo(401);
        String created = tokenctl("token", "create", "--name", "created", "--permission", "ReadHealthCheck", "--no-expiry");
        assertThat(get("/v1/authz", "Authorization", "Bearer " + created).statusCode()).as("created in it").isEqualTo(200);

        Path aside = dir.resolve("aside.db");
        Files.move(store, aside);
        assertThat(get("/v1/authz", "Authorization", "Bearer " + created).statusCode()).isEqualTo(503);
        assertThat(get("/healthz").statusCode()).isEqualTo(503);
        assertThat(store).as("no empty store made in its place").doesNotExist();
        Files.move(aside, store);
        assertThat(get("/v1/authz", "Authorization", "Bearer " + created).statusCode()).as("put back").isEqualTo(200);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(tokenctl("token", "list", "--all", "-o", "json")).contains("\"created\"", "\"restored\"");
        Process check = new ProcessBuilder("sqlite3", store.toString(), "PRAGMA integrity_check").start();
        assertThat(new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo("ok");
    }

    /**
     * Silent sockets cannot lock a client out: past the cap of 1,024, a new connection takes the
     * place of the one that has waited longest without a request, and a check is answered
     * within a second while 1,100 silent sockets are open; the same while 1,000 sockets each
     * hold an unfinished body.
     */
    @Test
    void silentSocketsAndUnfinishedBodiesLockNoClientOut() throws Exception {
        onSqliteAlone();
        String token = tokenctl("token", "create", "--name", "gw", "--permission", "ReadHealthCheck", "--no-expiry");
        serve();
        int port = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
        List<java.net.Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 1100; i++) {
                held.add(new java.net.Socket("127.0.0.1", port));
            }
            timedCheck(port, token);  // once the server has taken them all in
            assertThat(timedCheck(port, token)).as("a check while 1,100 silent sockets are open")
                    .isLessThan(Duration.ofSeconds(1));
            java.net.Socket first = held.get(0);
            first.setSoTimeout(5_000);
            assertThat(readOrReset(first)).as("the longest silent gave its place").isEqualTo(-1);
            for (java.net.Socket socket : held) {
                socket.close();
            }
            held.clear();
            byte[] unfinished = ("POST /v1/introspect HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 4000\r\n\r\n" + "token=" + "a".repeat(3000)).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 1000; i++) {
                java.net.Socket socket = new java.net.Socket("127.0.0.1", port);
                held.add(socket);
                socket.getOutputStream().write(unfinished);
            }
            timedCheck(port, token);
            assertThat(timedCheck(port, token)).as("a check while 1,000 sockets hold unfinished bodies")
                    .isLessThan(Duration.ofSeconds(1));
        } finally {
            for (java.net.Socket socket : held) {
                socket.close();
            }
        }
    }

    /** How long a check on a new connection takes to be answered 200. */
    private static Duration timedCheck(int port, String token) throws Exception {
        long start = System.nanoTime();
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /v1/authz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static int readOrReset(java.net.Socket socket) throws java.io.IOException {
        try {
            return socket.getInputStream().read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheirOrder() throws Exception {
        String token = tokenctl("token", "create", "--name", "piped", "--permission", "ReadHealthCheck", "--no-expiry");
        serve();
        int port = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            StringBuilder requests = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                requests.append("GET /v1/authz HTTP/1.1\r\nHost: x\r\n")
                        .append(i % 3 == 0 ? "Authorization: Bearer " + token + "\r\n" : "")
                        .append(i % 3 == 1 ? "Authorization: Bearer nonsense\r\n" : "")
                        .append(i == 29 ? "Connection: close\r\n" : "").append("\r\n");
            }
            socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            List<String> statuses = new ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("HTTP/1.1 (\\d{3})").matcher(answers);
            while (m.find()) {
                statuses.add(m.group(1));
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                expected.add(i % 3 == 0 ? "200" : "401");
            }
            assertThat(statuses).isEqualTo(expected);
            assertThat(answers.split("X-Token-Name: piped", -1)).hasSize(11);
        }
    }

    @Test
    void aRetiringTokenIsAllowedUntilItsGraceEndsAndDeniedFromThen() throws Exception {
        String old = tokenctl("token", "create", "--name", "svc", "--permission", "ReadHealthCheck", "--no-expiry");
        serve();
        java.time.Instant rotated = java.time.Instant.now();
        String fresh = tokenctl("token", "rotate", "svc", "--grace", "3s");
        HttpResponse<String> during = get("/v1/authz", "Authorization", "Bearer " + old);
        assertThat(during.statusCode()).isEqualTo(200);
        java.time.Instant end = java.time.Instant.parse(during.headers().firstValue("X-Token-Expires-At").orElseThrow());
        assertThat(end).isBetween(rotated.plusSeconds(2), rotated.plusSeconds(5));
        assertThat(get("/v1/authz", "Authorization", "Bearer " + fresh).headers().firstValue("X-Token-Expires-At"))
                .as("the new generation never expires").isEmpty();
        Thread.sleep(Math.max(0, Duration.between(java.time.Instant.now(), end).toMillis() + 100));
        assertThat(get("/v1/authz", "Authorization", "Bearer " + old).statusCode()).as("the grace is over").isEqualTo(401);
        assertThat(get("/v1/authz", "Authorization", "Bearer " + fresh).statusCode()).isEqualTo(200);
    }
}
