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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real nginx (auth_request) and Caddy (forward_auth), with the configurations in examples/, in
 * front of a small upstream with tokenctl serve as their auth service, on each engine: what a
 * client sees through the gateway, and what the upstream sees.
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

    private String tokenctl(String... args) throws Exception {
        LauncherIT.Run run = LauncherIT.run(LauncherIT.LAUNCHER, dir, env, "", args);
        assertThat(run.code()).as(run.toString()).isZero();
        return run.out().strip();
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
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", upstreamPort), 16);
        upstream.createContext("/", exchange -> {
            byte[] body = ("upstream saw " + exchange.getRequestHeaders().getFirst("X-Token-Name")).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();

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

        String example = Files.readString(Path.of("examples", gateway.equals("nginx") ? "nginx.conf" : "Caddyfile"))
                .replace("8470", String.valueOf(servePort)).replace("8080", String.valueOf(upstreamPort))
                .replace(gateway.equals("nginx") ? "8000" : "8001", String.valueOf(gatewayPort));
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
}
