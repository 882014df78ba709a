package dev.tokenctl.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenctl.app.Application;
import dev.tokenctl.app.ServeOptions;
import dev.tokenctl.app.Server;
import dev.tokenctl.core.TokenctlException;
import dev.tokenctl.testing.LocalStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server itself, in process: what it says on start and stop, its refusals of a listen
 * address, HTTPS, keep-alive and pipelining on a raw connection, the limits of a request, and the
 * connection cap. Stopped by a SIGTERM raised in the test's JVM once the server handles it.
 * ServeIT drives the same through the launcher, with real clients and gateways.
 */
class HttpServerFaceTest {
    private static final Pattern SERVING = Pattern.compile("tokenctl: serving on (https?)://(\\S+):(\\d+) \\(store: (.*)\\)\n");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /**
     * How long a raw connection waits for an answer or a close: well past the short deadlines
     * these servers are given, and short enough that a server that never closes fails the test
     * before mutation testing's time-out would end it, which costs a new JVM.
     */
    private static final int SOCKET_MILLIS = 4_000;

    @TempDir
    Path dir;
    private LocalStore local;

    @BeforeEach
    void setUp() {
        local = new LocalStore(dir);
    }

    private static ServeOptions options(String host, int port) {
        return new ServeOptions(host, port, List.of(), List.of(), null, null, false, null, Duration.ofDays(30));
    }

    /** A server started in process, from its first line to the last. */
    private final class Serving implements AutoCloseable {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        /** Applications made: one per store connection. */
        final java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        final Server.Running running;
        final Matcher serving;

        Serving(ServeOptions options) {
            this(options, new HttpServerFace());
        }

        Serving(ServeOptions options, HttpServerFace face) {
            Supplier<Application> applications = () -> {
                made.incrementAndGet();
                return local.application();
            };
            // Buffered, as a real stderr may be: what is not flushed is not seen.
            running = face.start(options, applications, new PrintWriter(out), new PrintWriter(new java.io.BufferedWriter(err)));
            serving = SERVING.matcher(err.toString());
            assertThat(serving.find()).as(err.toString()).isTrue();
        }

        int port() {
            return running.address().getPort();
        }

        String base() {
            return serving.group(1) + "://127.0.0.1:" + port();
        }

        @Override
        public void close() {
            running.close();
        }
    }

    private static HttpResponse<String> get(HttpClient client, String uri, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Writes {@code requests} on one connection and reads every answer until the server closes it. */
    private static String exchange(int port, String requests) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(SOCKET_MILLIS);
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static List<String> statuses(String answers) {
        List<String> statuses = new ArrayList<>();
        Matcher m = Pattern.compile("HTTP/1\\.[01] (\\d{3})").matcher(answers);
        while (m.find()) {
            statuses.add(m.group(1));
        }
        return statuses;
    }

    @Test
    void servesTheChecksSaysWhereAndStopsOnCloseWithTheLastUsesWritten() throws Exception {
        String token = local.tokenctl("token", "create", "--name", "gw", "--permission", "ReadHealthCheck", "--no-expiry");
        String id = token.substring(0, token.indexOf('~'));
        long stopping;
        Serving server = new Serving(options("127.0.0.1", 0));
        try (server) {
            assertThat(server.serving).as(server.err.toString()).isNotNull();
            assertThat(server.serving.group(1)).isEqualTo("http");
            assertThat(server.serving.group(2)).isEqualTo("127.0.0.1");
            assertThat(server.serving.group(4)).isEqualTo("sqlite " + dir.resolve("tokens.db"));
            HttpResponse<String> allowed = get(HTTP, server.base() + "/v1/authz", "Authorization", "Bearer " + token);
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.headers().firstValue("X-Token-Id")).hasValue(id);
            assertThat(get(HTTP, server.base() + "/v1/authz").statusCode()).isEqualTo(401);
            assertThat(get(HTTP, server.base() + "/healthz").statusCode()).isEqualTo(200);
            assertThat(server.made.get()).as("the warm-up's connection is lent to the requests, and to the writer"
                    + " unless it writes while a request holds it").isBetween(1, 2);
            stopping = System.nanoTime();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).as("nothing in flight: no wait").isLessThan(Duration.ofSeconds(4));
        assertThat(server.err.toString()).endsWith("tokenctl: stopped\n").hasLineCount(2);
        assertThat(local.tokenctl("token", "show", "gw", "-o", "json")).as("written")
                .contains("\"last_used_address\" : \"127.0.0.1\"").doesNotContain("\"last_used_at\" : null");
    }

    /** Files of {@code dir} this process holds open, and its threads of a server still alive, after {@code within}. */
    private List<String> leftOver(Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        List<String> left;
        do {
            left = new ArrayList<>();
            try (var fds = Files.list(Path.of("/proc/self/fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        Path target = Files.readSymbolicLink(fd);
                        if (target.startsWith(dir)) {
                            left.add(target.toString());
                        }
                    } catch (IOException gone) {
                        // closed while listed
                    }
                }
            }
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.isAlive() && List.of("record-writer", "http", "health").contains(thread.getName())) {
                    left.add("thread " + thread.getName());
                }
            }
            if (!left.isEmpty()) {
                Thread.sleep(50);
            }
        } while (!left.isEmpty() && System.nanoTime() < deadline);
        return left;
    }

    @Test
    void closingLeavesNoFileOpenAndNoThreadRunningAndSoDoesAStartThatFailed() throws Exception {
        String token = local.tokenctl("token", "create", "--name", "gw", "--permission", "ReadHealthCheck", "--no-expiry");
        ServeOptions logged = new ServeOptions("127.0.0.1", 0, List.of(), List.of(), null, null, false,
                dir.resolve("access.log").toString(), Duration.ofDays(30));
        Serving server = new Serving(logged);
        assertThat(get(HTTP, server.base() + "/v1/authz", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
        assertThat(get(HTTP, server.base() + "/healthz").statusCode()).isEqualTo(200);
        assertThat(leftOver(Duration.ZERO)).as("serving").isNotEmpty();
        server.close();
        assertThat(leftOver(Duration.ofSeconds(5))).as("after close").isEmpty();
        assertThat(local.tokenctl("token", "show", "gw", "-o", "json")).as("its last use written before")
                .doesNotContain("\"last_used_at\" : null");

        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> new Serving(new ServeOptions("127.0.0.1", taken.getLocalPort(), List.of(), List.of(),
                    null, null, false, dir.resolve("access.log").toString(), Duration.ofDays(30))))
                    .isInstanceOf(TokenctlException.class);
        }
        assertThat(leftOver(Duration.ofSeconds(5))).as("after a start that failed").isEmpty();
    }

    @Test
    void aStoreThatCannotBeOpenedIsNamedAndTheServerStillAnswersHealth() throws Exception {
        Files.createDirectories(dir.resolve("tokens.db"));
        try (Serving server = new Serving(options("::1", 0))) {
            assertThat(server.serving).as(server.err.toString()).isNotNull();
            assertThat(server.serving.group(2)).isEqualTo("[0:0:0:0:0:0:0:1]");
            assertThat(server.serving.group(4)).startsWith("not available yet: ");
            HttpResponse<String> health = get(HTTP, "http://[::1]:" + server.port() + "/healthz");
            assertThat(health.statusCode()).isEqualTo(503);
        }
    }

    @Test
    void listenAddressesThatCannotBeServedAreRefusedInOneLine() throws Exception {
        assertThatThrownBy(() -> new Serving(options("0.0.0.0", 0))).isInstanceOf(TokenctlException.class)
                .hasMessage("--listen 0.0.0.0:0 is not a loopback address, and tokens would cross the network in plain text"
                        + " (give --tls-cert and --tls-key, or --insecure behind a trusted network)");

        assertThatThrownBy(() -> new Serving(options("no such host", 0))).isInstanceOf(TokenctlException.class)
                .hasMessage("--listen host 'no such host' is unknown (give an address such as 127.0.0.1 or [::1])");

        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> new Serving(options("127.0.0.1", taken.getLocalPort())))
                    .isInstanceOf(TokenctlException.class).hasMessageStartingWith(
                    "cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ").hasMessageEndingWith(
                    " (choose another --listen address or port, or stop what uses it)");
        }
        // An address of no interface here (TEST-NET-1): nothing to stop, the address is wrong.
        assertThatThrownBy(() -> new Serving(new ServeOptions("192.0.2.1", 0, List.of(), List.of(), null, null, true, null,
                Duration.ofDays(30)))).isInstanceOf(TokenctlException.class)
                .hasMessageStartingWith("cannot listen on 192.0.2.1:0: ").hasMessageEndingWith(" (check the --listen address)");
        assertThat(local.tokenctl("audit", "list")).as("nothing served, nothing recorded").doesNotContain("verify");
    }

    @Test
    void insecureServesAnAddressBeyondLoopback() throws Exception {
        ServeOptions insecure = new ServeOptions("0.0.0.0", 0, List.of(), List.of(), null, null, true, null, Duration.ofDays(30));
        try (Serving server = new Serving(insecure)) {
            assertThat(server.serving).as(server.err.toString()).isNotNull();
            assertThat(server.serving.group(2)).isIn("0.0.0.0", "[0:0:0:0:0:0:0:0]");
            assertThat(get(HTTP, server.base() + "/healthz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void servesHttpsWithThePemPair() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        SSLContext trusting = PemTest.pair("RSA", cert, key);
        ServeOptions tls = new ServeOptions("127.0.0.1", 0, List.of(), List.of(), cert, key, false, null, Duration.ofDays(30));
        try (Serving server = new Serving(tls)) {
            assertThat(server.serving).as(server.err.toString()).isNotNull();
            assertThat(server.serving.group(1)).isEqualTo("https");
            HttpClient client = HttpClient.newBuilder().sslContext(trusting).connectTimeout(Duration.ofSeconds(5)).build();
            assertThat(get(client, server.base() + "/healthz").statusCode()).isEqualTo(200);
            String plain;
            try {
                plain = exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            } catch (IOException reset) {
                plain = "";
            }
            assertThat(plain).as("plain HTTP on the TLS port").doesNotContain("HTTP/1.1");
        }
    }

    @Test
    void aConnectionKeepsAliveAnswersPipelinedRequestsInOrderAndClosesWhenAsked() throws Exception {
        String token = local.tokenctl("token", "create", "--name", "piped", "--permission", "ReadHealthCheck", "--no-expiry");
        try (Serving server = new Serving(options("127.0.0.1", 0))) {
            StringBuilder requests = new StringBuilder();
            List<String> expected = new ArrayList<>();
            // More than are read ahead: the connection is paused and read again as answers go out.
            for (int i = 0; i < 30; i++) {
                requests.append("GET /v1/authz HTTP/1.1\r\nHost: x\r\n")
                        .append(i % 3 == 0 ? "Authorization: Bearer " + token + "\r\n" : "")
                        .append(i == 29 ? "Connection: close\r\n" : "").append("\r\n");
                expected.add(i % 3 == 0 ? "200" : "401");
            }
            String answers = exchange(server.port(), requests.toString());
            assertThat(statuses(answers)).isEqualTo(expected);
            assertThat(answers.split("\r\nconnection: close\r\n", -1)).as("the last one alone closes").hasSize(2);

            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(SOCKET_MILLIS);
                socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".repeat(20)
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                StringBuilder read = new StringBuilder();
                while (statuses(read.toString()).size() < 20 || !read.toString().endsWith("ok\n")) {
                    int c = in.read();
                    assertThat(c).as("20 answers before the connection closes").isNotEqualTo(-1);
                    read.append((char) c);
                }
                socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).as("read again after a burst")
                        .startsWith("HTTP/1.1 200");
            }

            String old = exchange(server.port(), "GET /healthz HTTP/1.0\r\n\r\nGET /healthz HTTP/1.0\r\n\r\n");
            assertThat(statuses(old)).as("HTTP/1.0 without keep-alive: one answer, then closed").containsExactly("200");
            String kept = exchange(server.port(), "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                    + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(statuses(kept)).containsExactly("200", "200");
        }
    }

    @Test
    void requestsBeyondTheLimitsGetTheirStatusAndAClosedConnection() throws Exception {
        try (Serving server = new Serving(options("127.0.0.1", 0))) {
            String line = exchange(server.port(), "GET /healthz?" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(statuses(line)).containsExactly("414");
            assertThat(line).contains("{\"error\":\"invalid_request\"}", "connection: close");
            String headers = exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(17_000)
                    + "\r\n\r\n");
            assertThat(statuses(headers)).containsExactly("431");
            String nonsense = exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: nonsense\r\n\r\n");
            assertThat(statuses(nonsense)).containsExactly("400");
            assertThat(get(HTTP, server.base() + "/healthz").statusCode()).as("and the server still answers").isEqualTo(200);
        }
    }

    @Test
    void aRequestMustArriveWholeInTimeAndTheClockStartsAgainForTheNext() throws Exception {
        try (Serving server = new Serving(options("127.0.0.1", 0), new HttpServerFace(new Connections.Limits(800, 120_000, 1024)))) {
            try (Socket slow = new Socket("127.0.0.1", server.port())) {
                slow.setSoTimeout(SOCKET_MILLIS);
                long start = System.nanoTime();
                slow.getOutputStream().write("GET /healthz HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(readOrReset(slow.getInputStream())).as("cut off").isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(700), Duration.ofSeconds(4));
            }
            try (Socket kept = new Socket("127.0.0.1", server.port())) {
                kept.setSoTimeout(SOCKET_MILLIS);
                for (int i = 0; i < 2; i++) {
                    kept.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    String answer = new String(kept.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                    assertThat(answer).as("request %d", i + 1).isEqualTo("HTTP/1.1 200");
                    kept.getInputStream().readNBytes(kept.getInputStream().available());
                    Thread.sleep(1200);  // idle, between whole requests: longer than a request may take
                }
            }
        }
    }

    /** Bytes that keep coming, each well within the idle time, do not move the request's deadline. */
    @Test
    void aDripFedRequestIsCutOffAtItsDeadline() throws Exception {
        try (Serving server = new Serving(options("127.0.0.1", 0), new HttpServerFace(new Connections.Limits(800, 120_000, 1024)));
             Socket drip = new Socket("127.0.0.1", server.port())) {
            drip.setSoTimeout(100);
            long start = System.nanoTime();
            byte[] request = ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(100) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            int read = 0;
            try {
                for (int i = 0; i < request.length && read != -1; i++) {
                    drip.getOutputStream().write(request[i]);
                    try {
                        read = drip.getInputStream().read();  // waits a tenth of a second between bytes
                    } catch (java.net.SocketTimeoutException stillOpen) {
                        continue;
                    }
                }
            } catch (java.net.SocketException closed) {
                read = -1;  // cut off while still writing
            }
            assertThat(read).as("a request fed a byte a tenth of a second is cut off").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(700), Duration.ofSeconds(4));
        }
    }

    @Test
    void atTheCapTheConnectionThatNeverSpokeGivesItsPlaceThenTheOneIdleLongest() throws Exception {
        try (Serving server = new Serving(options("127.0.0.1", 0), new HttpServerFace(new Connections.Limits(30_000, 120_000, 3)))) {
            try (Socket idle = new Socket("127.0.0.1", server.port());
                 Socket silent = new Socket("127.0.0.1", server.port())) {
                idle.setSoTimeout(SOCKET_MILLIS);
                silent.setSoTimeout(SOCKET_MILLIS);
                assertThat(ask(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200");
                try (Socket third = new Socket("127.0.0.1", server.port());
                     Socket speaking = new Socket("127.0.0.1", server.port())) {
                    speaking.setSoTimeout(SOCKET_MILLIS);
                    assertThat(ask(speaking, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")).as("the fourth, at a cap of 3")
                            .startsWith("HTTP/1.1 200");
                    assertThat(readOrReset(silent.getInputStream())).as("the one that never spoke").isEqualTo(-1);
                    assertThat(ask(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")).as("the idle one stays")
                            .startsWith("HTTP/1.1 200");
                    try (Socket fifth = new Socket("127.0.0.1", server.port())) {
                        fifth.setSoTimeout(SOCKET_MILLIS);
                        assertThat(ask(fifth, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200");
                        third.setSoTimeout(SOCKET_MILLIS);
                        assertThat(readOrReset(third.getInputStream())).as("the next that never spoke").isEqualTo(-1);
                        try (Socket sixth = new Socket("127.0.0.1", server.port())) {
                            sixth.setSoTimeout(SOCKET_MILLIS);
                            assertThat(ask(sixth, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200");
                            assertThat(readOrReset(speaking.getInputStream())).as("none unheard left: the one idle longest")
                                    .isEqualTo(-1);
                            assertThat(ask(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")).as("idle since later")
                                    .startsWith("HTTP/1.1 200");
                        }
                    }
                }
            }
        }
    }

    @Test
    void aConnectionThatSaysNothingIsClosedAtTheRequestDeadlineFromItsAcceptWithTlsToo() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        PemTest.pair("EC", cert, key);
        for (ServeOptions options : List.of(options("127.0.0.1", 0),
                new ServeOptions("127.0.0.1", 0, List.of(), List.of(), cert, key, false, null, Duration.ofDays(30)))) {
            try (Serving server = new Serving(options, new HttpServerFace(new Connections.Limits(800, 120_000, 1024)));
                 Socket silent = new Socket("127.0.0.1", server.port())) {
                silent.setSoTimeout(SOCKET_MILLIS);
                long start = System.nanoTime();
                assertThat(readOrReset(silent.getInputStream())).as("cut off").isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as(server.base())
                        .isBetween(Duration.ofMillis(600), Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void bodiesAreRefusedAtTheHeaderStageOrAsTheyGrowAndOnlyTheFormIsKept() throws Exception {
        String token = local.tokenctl("token", "create", "--name", "kong", "--permission", "ReadHealthCheck", "--no-expiry");
        ServeOptions options = new ServeOptions("127.0.0.1", 0, List.of(), List.of("kong"), null, null, false, "-",
                Duration.ofDays(30));
        try (Serving server = new Serving(options);
             Socket declared = new Socket("127.0.0.1", server.port())) {
            declared.setSoTimeout(SOCKET_MILLIS);
            assertThat(ask(declared, "POST /v1/authz HTTP/1.1\r\nHost: x\r\nContent-Length: " + (Route.NO_BODY + 1)
                    + "\r\n\r\n")).as("answered before any of the body").startsWith("HTTP/1.1 413");
            assertThat(readOrReset(declared.getInputStream())).as("and closed").isEqualTo(-1);

            String chunk = Integer.toHexString(Route.NO_BODY) + "\r\n" + "a".repeat(Route.NO_BODY) + "\r\n";
            assertThat(statuses(exchange(server.port(), "POST /v1/authz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunk + "1\r\na\r\n0\r\n\r\n"))).as("a chunked body one byte over").containsExactly("413");
            assertThat(statuses(exchange(server.port(), "POST /v1/authz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunk + "0\r\n\r\n")))
                    .as("a body within the limit is thrown away").containsExactly("200");

            String form = "token=" + token + "&pad=" + "a".repeat(Route.MAX_FORM - token.length() - 11);
            assertThat(form).hasSize(Route.MAX_FORM);
            String whole = exchange(server.port(), "POST /v1/introspect HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Length: " + form.length() + "\r\nConnection: close\r\n\r\n" + form);
            assertThat(whole).as("a form of the largest size is read").contains("\"active\":true");
            assertThat(statuses(exchange(server.port(), "POST /v1/introspect HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + (Route.MAX_FORM + 1) + "\r\n\r\n"))).containsExactly("413");
            try (Socket continued = new Socket("127.0.0.1", server.port())) {
                continued.setSoTimeout(SOCKET_MILLIS);
                assertThat(ask(continued, "POST /v1/introspect HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                        + "Content-Length: 5\r\n\r\n")).startsWith("HTTP/1.1 100 Continue");
            }
            assertThat(server.out.toString()).contains("\"endpoint\":\"authz\",\"status\":413,\"decision\":\"none\",\"reason\":\"too-large\"",
                    "\"endpoint\":\"introspect\",\"status\":413");
        }
    }

    @Test
    void afterAnAnswerTheFirstBytesOfTheNextRequestStartItsDeadlineAndABadChunkIsA400() throws Exception {
        try (Serving server = new Serving(options("127.0.0.1", 0), new HttpServerFace(new Connections.Limits(800, 120_000, 1024)));
             Socket kept = new Socket("127.0.0.1", server.port())) {
            kept.setSoTimeout(SOCKET_MILLIS);
            assertThat(ask(kept, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200");
            long start = System.nanoTime();
            kept.getOutputStream().write("GET /healthz HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readOrReset(kept.getInputStream())).as("a request begun and left unfinished").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the request deadline, not the idle time")
                    .isBetween(Duration.ofMillis(600), Duration.ofSeconds(5));
            assertThat(statuses(exchange(server.port(), "POST /v1/authz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    + "\r\nzz\r\nab\r\n0\r\n\r\n"))).as("a chunk size that is none").containsExactly("400");
        }
    }

    @Test
    void aKeptConnectionIdleLongerThanItsIdleTimeIsClosed() throws Exception {
        try (Serving server = new Serving(options("127.0.0.1", 0), new HttpServerFace(new Connections.Limits(30_000, 600, 1024)));
             Socket kept = new Socket("127.0.0.1", server.port())) {
            kept.setSoTimeout(SOCKET_MILLIS);
            assertThat(ask(kept, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200");
            long start = System.nanoTime();
            assertThat(readOrReset(kept.getInputStream())).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the idle time, not the request deadline")
                    .isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
        }
    }

    @Test
    void anHttp10ClientAskingForKeepAliveIsToldSoAndKept() throws Exception {
        try (Serving server = new Serving(options("127.0.0.1", 0));
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(SOCKET_MILLIS);
            for (int i = 0; i < 2; i++) {
                String answer = ask(socket, "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                assertThat(answer).as("answer %d", i + 1).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: keep-alive");
            }
            assertThat(exchange(server.port(), "GET /healthz HTTP/1.0\r\n\r\n")).as("without it, closed after the answer")
                    .startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("keep-alive");
        }
    }

    @Test
    void everyRequestIsCountedAndLoggedWithItsStatusWhoeverAnswersIt() throws Exception {
        ServeOptions options = new ServeOptions("127.0.0.1", 0, List.of(), List.of(), null, null, false, "-", Duration.ofDays(30));
        try (Serving server = new Serving(options)) {
            exchange(server.port(), "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            exchange(server.port(), "GET /healthz?" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(17_000) + "\r\n\r\n");
            exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: nonsense\r\n\r\n");
            exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            String metrics = exchange(server.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(metrics).contains(
                    "tokenctl_requests_total{endpoint=\"other\",decision=\"none\",reason=\"not-found\"} 1",
                    "tokenctl_requests_total{endpoint=\"other\",decision=\"none\",reason=\"uri-too-long\"} 1",
                    "tokenctl_requests_total{endpoint=\"other\",decision=\"none\",reason=\"headers-too-large\"} 1",
                    "tokenctl_requests_total{endpoint=\"other\",decision=\"none\",reason=\"bad-request\"} 1",
                    "tokenctl_requests_total{endpoint=\"healthz\",decision=\"none\",reason=\"ok\"} 1");
            exchange(server.port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(server.out.toString().lines().map(line -> line.replaceAll(".*\"endpoint\":\"(\\w+)\",\"status\":(\\d+).*", "$1 $2")))
                    .containsExactly("other 404", "other 414", "other 431", "other 400", "healthz 200", "metrics 200", "metrics 200");
        }
    }

    /** Writes {@code request} and reads what has come back within a moment of the first byte. */
    private static String ask(Socket socket, String request) throws IOException, InterruptedException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        int first = in.read();
        if (first == -1) {
            return "";
        }
        Thread.sleep(50);
        return (char) first + new String(in.readNBytes(in.available()), StandardCharsets.US_ASCII);
    }

    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }
}
