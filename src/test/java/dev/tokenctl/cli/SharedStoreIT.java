package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several gateways' servers on one PostgreSQL store: three {@code serve} processes, the real
 * launcher, kept busy by clients on loopback while tokens are revoked through the command line.
 * Each server gathers its checks into shared lookups, and none answers from one begun before
 * the request.
 */
class SharedStoreIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final int SERVERS = 3;
    private static final int CLIENTS_PER_SERVER = 2;
    private static final int ROUNDS = 4;

    @TempDir
    Path dir;
    private final List<Process> servers = new ArrayList<>();
    private final ExecutorService clients = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws Exception {
        clients.shutdownNow();
        for (Process server : servers) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts a server on its own port; its address once it says it serves. */
    private String serve(Map<String, String> env, int index) throws Exception {
        int port = ServeIT.freePort();
        Path err = dir.resolve("serve-" + index + ".err");
        ProcessBuilder builder = new ProcessBuilder(LauncherIT.LAUNCHER.toString(), "serve", "--listen", "127.0.0.1:" + port)
                .directory(dir.toFile()).redirectOutput(dir.resolve("serve-" + index + ".out").toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(env);
        servers.add(builder.start());
        return "http://127.0.0.1:" + port;
    }

    private void awaitServing(int index) throws Exception {
        Path err = dir.resolve("serve-" + index + ".err");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.readString(err).contains("serving on") && System.nanoTime() < deadline) {
            assertThat(servers.get(index).isAlive()).as(Files.readString(err)).isTrue();
            Thread.sleep(20);
        }
        assertThat(Files.readString(err)).contains("tokenctl: serving on");
    }

    private static int authz(String base, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/authz")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aTokenRevokedThroughTheCommandLineIsDeniedByEachOfThreeServersOnTheNextRequestUnderLoad() throws Exception {
        CliRunner cli = new CliRunner(dir, Engine.POSTGRESQL);
        String steady = cli.create("steady", "--permission", "ReadHealthCheck", "--no-expiry");
        List<String> revoked = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            revoked.add(cli.create("revoked-" + i, "--permission", "ReadHealthCheck", "--no-expiry"));
        }
        Map<String, String> env = Engine.POSTGRESQL.env(cli.location);
        List<String> bases = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
            bases.add(serve(env, i));
        }
        for (int i = 0; i < SERVERS; i++) {
            awaitServing(i);
        }

        // Clients keep every server busy with a token that stays valid throughout.
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLongArray answered = new AtomicLongArray(SERVERS);
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Future<?>> load = new ArrayList<>();
        for (int i = 0; i < SERVERS * CLIENTS_PER_SERVER; i++) {
            int server = i % SERVERS;
            load.add(clients.submit(() -> {
                while (loading.get()) {
                    int status = authz(bases.get(server), steady);
                    if (status != 200) {
                        wrong.add("server " + server + ": " + status);
                    }
                    answered.incrementAndGet(server);
                }
                return null;
            }));
        }

        List<String> stale = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String token = revoked.get(round);
            for (String base : bases) {
                assertThat(authz(base, token)).as("before the revocation, " + base).isEqualTo(200);
            }
            LauncherIT.Run revoke = LauncherIT.run(LauncherIT.LAUNCHER, dir, env, "", "token", "revoke", "revoked-" + round);
            assertThat(revoke.code()).as(revoke.toString()).isZero();
            for (String base : bases) {
                int status = authz(base, token);
                if (status != 401) {
                    stale.add("round " + round + ", " + base + ": " + status);
                }
            }
        }
        loading.set(false);
        for (Future<?> client : load) {
            client.get(30, TimeUnit.SECONDS);
        }

        assertThat(stale).as("answers that missed a revocation committed before the request").isEmpty();
        assertThat(wrong).as("answers to the steady token other than 200").isEmpty();
        for (int i = 0; i < SERVERS; i++) {
            assertThat(answered.get(i)).as("requests answered by server " + i + " under load").isGreaterThan(ROUNDS);
        }
    }
}
