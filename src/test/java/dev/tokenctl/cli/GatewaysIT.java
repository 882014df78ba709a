package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
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
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real nginx (auth_request), Caddy (forward_auth) and Apache (mod_auth_openidc, by RFC 7662
 * introspection), with the configurations in examples/, in front of a small upstream with tokenctl
 * serve as their auth service, on each engine: what a client sees through the gateway, and what
 * the upstream sees; and HAProxy in front of serve, checking its health.
 */
@ParameterizedClass
@EnumSource(Engine.class)
class GatewaysIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Parameter
    Engine engine;
    @TempDir
    Path dir;
    Map<String, String> env;
    final List<Process> processes = new ArrayList<>();
    HttpServer upstream;
    volatile String upstreamTokenId;

    @BeforeEach
    void setUp() {
        env = engine.env(engine.newStore(dir));
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (upstream != null) {
            upstream.stop(0);
        }
    }

    /** Prepares or changes the store as an administrator would, in this JVM (see {@link InProcess}). */
    private String tokenctl(String... args) {
        return InProcess.tokenctl(dir, env, args);
    }

    private Process start(Path log, Map<String, String> extra, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(extra);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static void awaitPort(int port, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException e) {
                assertThat(process.isAlive()).as(Files.readString(log)).isTrue();
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nothing listens on " + port + ": " + Files.readString(log));
    }

    /** The service behind the gateway: it answers with the token name it was given, and keeps the token id. */
    private void startUpstream(int port) throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        upstream.createContext("/", exchange -> {
            upstreamTokenId = exchange.getRequestHeaders().getFirst("X-Token-Id");
            byte[] body = ("upstream saw " + exchange.getRequestHeaders().getFirst("X-Token-Name")).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
    }

    private HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx", "caddy"})
    void throughTheGatewayOnlyValidTokensReachTheService(String gateway) throws Exception {
        String binary = gateway.equals("nginx") ? "/usr/sbin/nginx" : "/usr/bin/caddy";
        assumeTrue(Files.isExecutable(Path.of(binary)) || "true".equals(System.getenv("CI")),
                gateway + " is not installed (apt-get install nginx-light caddy; .ci/run does)");
        int servePort = ServeIT.freePort();
        int upstreamPort = ServeIT.freePort();
        int gatewayPort = ServeIT.freePort();
        startUpstream(upstreamPort);

        String token = tokenctl("token", "create", "--name", "through-" + gateway, "--permission", "ReadHealthCheck",
                "--no-expiry");
        String weak = tokenctl("token", "create", "--name", "weak", "--permission", "ViewOrganizations", "--no-expiry");
        String doomed = tokenctl("token", "create", "--name", "doomed", "--permission", "ReadHealthCheck", "--no-expiry");
        tokenctl("ipfilter", "add", "elsewhere", "--rule", "allow 192.0.2.0/24");
        String fenced = tokenctl("token", "create", "--name", "fenced", "--permission", "ReadHealthCheck", "--no-expiry",
                "--ip-filter", "elsewhere");

        Path serveLog = dir.resolve("serve.log");
        Map<String, String> serveEnv = new java.util.HashMap<>(env);
        Process serve = start(serveLog, serveEnv, LauncherIT.LAUNCHER.toString(), "serve", "--listen",
                "127.0.0.1:" + servePort, "--trusted-proxy", "127.0.0.1");
        awaitPort(servePort, serve, serveLog);

        String example = ports(Files.readString(Path.of("examples", gateway.equals("nginx") ? "nginx.conf" : "Caddyfile")),
                Map.of("8470", servePort, "8080", upstreamPort, gateway.equals("nginx") ? "8000" : "8001", gatewayPort));
        Path config = dir.resolve(gateway.equals("nginx") ? "nginx.conf" : "Caddyfile");
        Files.writeString(config, example);
        Path gatewayLog = dir.resolve(gateway + ".log");
        Process proxy;
        if (gateway.equals("nginx")) {
            Files.createDirectories(dir.resolve("tmp"));
            // As root, nginx's workers would run as nobody, who cannot read this private directory.
            String conf = example.replace("worker_processes 1;", "worker_processes 1;\ndaemon off;\n"
                    + ("root".equals(System.getProperty("user.name")) ? "user root;\n" : ""));
            Files.writeString(config, conf);
            proxy = start(gatewayLog, Map.of(), binary, "-p", dir.toString(), "-c", config.toString());
        } else {
            proxy = start(gatewayLog, Map.of("HOME", dir.toString(), "XDG_DATA_HOME", dir.toString(),
                    "XDG_CONFIG_HOME", dir.toString()), binary, "run", "--config", config.toString(), "--adapter", "caddyfile");
        }
        awaitPort(gatewayPort, proxy, gatewayLog);
        String url = "http://127.0.0.1:" + gatewayPort + "/some/page";

        HttpResponse<String> valid = get(url, "Authorization", "Bearer " + token);
        assertThat(valid.statusCode()).as(valid.body()).isEqualTo(200);
        assertThat(valid.body()).isEqualTo("upstream saw through-" + gateway);

        assertThat(get(url).statusCode()).as("no token").isEqualTo(401);
        assertThat(get(url, "Authorization", "Bearer tctl_0000000000000000~" + "a".repeat(49)).statusCode())
                .as("unknown").isEqualTo(401);
        assertThat(get(url, "Authorization", "Bearer " + doomed).statusCode()).isEqualTo(200);
        tokenctl("token", "revoke", "doomed");
        assertThat(get(url, "Authorization", "Bearer " + doomed).statusCode()).as("revoked a moment before").isEqualTo(401);
        assertThat(get(url, "Authorization", "Bearer " + weak).statusCode()).as("missing permission").isEqualTo(403);
        assertThat(get(url, "Authorization", "Bearer " + fenced).statusCode()).as("wrong client address").isEqualTo(403);
        // What a client sends cannot turn a deny into an allow.
        assertThat(get(url, "Authorization", "Bearer " + fenced, "X-Forwarded-For", "192.0.2.9",
                "X-Real-IP", "192.0.2.9").statusCode()).as("client-sent X-Forwarded-For").isEqualTo(403);
        assertThat(get(url + "?require=", "Authorization", "Bearer " + weak).statusCode()).as("query").isEqualTo(403);
        assertThat(get(url, "Authorization", "Bearer " + weak, "X-Tokenctl-Require", "ViewOrganizations").statusCode())
                .as("client-sent X-Tokenctl-Require").isEqualTo(403);
        assertThat(get(url, "Authorization", "Bearer " + token, "X-Token-Name", "forged").body())
                .isEqualTo("upstream saw through-" + gateway);
    }

    /**
     * Apache with mod_auth_openidc, configured by examples/apache-openidc.conf: it introspects
     * every request over HTTPS, authenticating as an OAuth client with its own token.
     */
    @Test
    void apacheIntrospectsEveryRequestAndRequiresOnePermissionAmongSeveral() throws Exception {
        Path apache = Path.of("/usr/sbin/apache2");
        assumeTrue(Files.isExecutable(apache) && Files.exists(Path.of("/usr/lib/apache2/modules/mod_auth_openidc.so"))
                || "true".equals(System.getenv("CI")),
                "Apache is not installed (apt-get install apache2 libapache2-mod-auth-openidc; .ci/run does)");
        int servePort = ServeIT.freePort();
        int upstreamPort = ServeIT.freePort();
        int gatewayPort = ServeIT.freePort();
        startUpstream(upstreamPort);
        Path cert = dir.resolve("serve-cert.pem");
        Path key = dir.resolve("serve-key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        String said = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor()).as(said).isZero();

        String caller = tokenctl("token", "create", "--name", "apache", "--permission", "ReadHealthCheck", "--no-expiry");
        String token = tokenctl("token", "create", "--name", "through-apache", "--permission",
                "ViewOrganizations,ReadHealthCheck,ManageOrganizationLinks", "--expires-in", "1d");
        String tokenId = token.substring(0, 21);
        String weak = tokenctl("token", "create", "--name", "weak", "--permission", "ViewOrganizations,ManageOrganizations",
                "--no-expiry");
        String doomed = tokenctl("token", "create", "--name", "doomed", "--permission", "ReadHealthCheck", "--expires-in", "1d");
        tokenctl("ipfilter", "add", "elsewhere", "--rule", "allow 192.0.2.0/24");
        String fenced = tokenctl("token", "create", "--name", "fenced", "--permission", "ReadHealthCheck", "--no-expiry",
                "--ip-filter", "elsewhere");

        Path serveLog = dir.resolve("serve.log");
        Process serve = start(serveLog, env, LauncherIT.LAUNCHER.toString(), "serve", "--listen", "127.0.0.1:" + servePort,
                "--introspection-caller", "apache", "--tls-cert", cert.toString(), "--tls-key", key.toString());
        awaitPort(servePort, serve, serveLog);

        String conf = ports(Files.readString(Path.of("examples", "apache-openidc.conf")),
                Map.of("8470", servePort, "8080", upstreamPort, "8003", gatewayPort))
                .replace("REPLACE-WITH-THE-APACHE-TOKEN", caller);
        if ("root".equals(System.getProperty("user.name"))) {
            // Apache will not serve as root: it becomes www-data, which must still read the certificate.
            conf += "User www-data\nGroup www-data\n";
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(cert, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
        Path config = dir.resolve("apache-openidc.conf");
        Files.writeString(config, conf);
        Files.createDirectories(dir.resolve("run"));
        Path gatewayLog = dir.resolve("apache.log");
        Process proxy = start(gatewayLog, Map.of(), apache.toString(), "-d", dir.toString(), "-f", config.toString(), "-X");
        awaitPort(gatewayPort, proxy, gatewayLog);
        String url = "http://127.0.0.1:" + gatewayPort + "/some/page";

        HttpResponse<String> valid = get(url, "Authorization", "Bearer " + token, "X-Token-Name", "forged", "X-Token-Id",
                "forged");
        assertThat(valid.statusCode()).as(valid.body() + Files.readString(gatewayLog)).isEqualTo(200);
        assertThat(valid.body()).isEqualTo("upstream saw through-apache");
        assertThat(upstreamTokenId).isEqualTo(tokenId);

        HttpResponse<String> none = get(url);
        assertThat(none.statusCode()).as("no token").isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(get(url, "Authorization", "Bearer tctl_0000000000000000~" + "a".repeat(49)).statusCode())
                .as("unknown").isEqualTo(401);
        HttpResponse<String> missing = get(url, "Authorization", "Bearer " + weak);
        assertThat(missing.statusCode()).as("missing permission").isEqualTo(403);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                .contains("insufficient_scope"));
        assertThat(get(url, "Authorization", "Bearer " + doomed).statusCode()).isEqualTo(200);
        tokenctl("token", "revoke", "doomed");
        assertThat(get(url, "Authorization", "Bearer " + doomed).statusCode()).as("revoked a moment before").isEqualTo(401);
        // Introspection carries no client address: a token under an IP filter is not active here.
        assertThat(get(url, "Authorization", "Bearer " + fenced, "X-Forwarded-For", "192.0.2.9").statusCode())
                .as("under an IP filter").isEqualTo(401);
        assertThat(get(url, "Authorization", "Bearer " + token).statusCode()).as("still valid").isEqualTo(200);
    }

    /** HAProxy, configured by examples/haproxy.cfg, checks serve's /healthz and marks it up. */
    @Test
    void haproxyMarksServeUpByItsHealthCheck() throws Exception {
        Path haproxy = Path.of("/usr/sbin/haproxy");
        assumeTrue(Files.isExecutable(haproxy) || "true".equals(System.getenv("CI")),
                "HAProxy is not installed (apt-get install haproxy; .ci/run does)");
        int servePort = ServeIT.freePort();
        int absentPort = ServeIT.freePort();
        int frontPort = ServeIT.freePort();
        int statsPort = ServeIT.freePort();
        String token = tokenctl("token", "create", "--name", "through-haproxy", "--permission", "ReadHealthCheck",
                "--no-expiry");
        Path serveLog = dir.resolve("serve.log");
        Process serve = start(serveLog, env, LauncherIT.LAUNCHER.toString(), "serve", "--listen", "127.0.0.1:" + servePort,
                "--trusted-proxy", "127.0.0.1");
        awaitPort(servePort, serve, serveLog);

        String conf = ports(Files.readString(Path.of("examples", "haproxy.cfg")),
                Map.of("8470", servePort, "8472", absentPort, "8480", frontPort))
                + "\nlisten stats\n    bind 127.0.0.1:" + statsPort + "\n    stats enable\n    stats uri /stats\n";
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, conf);
        Path log = dir.resolve("haproxy.log");
        Process proxy = start(log, Map.of(), haproxy.toString(), "-db", "-f", config.toString());
        awaitPort(frontPort, proxy, log);

        Map<String, Map<String, String>> servers = Map.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            servers = haproxyServers("http://127.0.0.1:" + statsPort + "/stats;csv");
            if ("L7OK".equals(servers.get("serve1").get("check_status"))
                    && servers.get("serve2").get("check_status").startsWith("L4")) {
                break;
            }
            assertThat(proxy.isAlive()).as(Files.readString(log)).isTrue();
            Thread.sleep(100);
        }
        assertThat(servers.get("serve1")).as(Files.readString(log)).containsEntry("status", "UP")
                .containsEntry("check_status", "L7OK").containsEntry("check_code", "200");
        assertThat(servers.get("serve2").get("check_status")).as("nothing listens there").isEqualTo("L4CON");

        HttpResponse<String> through = get("http://127.0.0.1:" + frontPort + "/v1/authz?require=ReadHealthCheck",
                "Authorization", "Bearer " + token);
        assertThat(through.statusCode()).as(through.body()).isEqualTo(200);
        assertThat(through.headers().firstValue("X-Token-Name")).hasValue("through-haproxy");
    }

    /** The servers of HAProxy's stats CSV, by name, each as its columns by name. */
    private Map<String, Map<String, String>> haproxyServers(String url) throws Exception {
        List<String> lines = get(url).body().lines().toList();
        String[] names = lines.get(0).substring(2).split(",", -1);
        Map<String, Map<String, String>> servers = new java.util.HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] values = line.split(",", -1);
            Map<String, String> row = new java.util.HashMap<>();
            for (int i = 0; i < Math.min(names.length, values.length); i++) {
                row.put(names[i], values[i]);
            }
            servers.put(row.get("svname"), row);
        }
        return servers;
    }

    /**
     * An example's ports replaced by the test's, all in one pass: replaced one after another, a
     * free port such as 38003 would have its "8003" replaced in turn.
     */
    static String ports(String example, Map<String, Integer> ports) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b(" + String.join("|", ports.keySet()) + ")\\b")
                .matcher(example);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, String.valueOf(ports.get(m.group(1))));
        }
        return m.appendTail(out).toString();
    }
}
