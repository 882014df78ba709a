package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code audit list --follow} as a log shipper runs it: the real launcher, events committed by
 * other processes, SIGINT and a reader that goes away; on each engine.
 */
@ParameterizedClass
@EnumSource(Engine.class)
class AuditFollowIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameter
    Engine engine;
    @TempDir
    Path dir;
    Map<String, String> env;
    final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void setUp() {
        env = engine.env(engine.newStore(dir));
    }

    @AfterEach
    void stop() throws Exception {
        for (Process process : processes) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Prepares or changes the store as an administrator would, in this JVM (see {@link InProcess}). */
    private String tokenctl(String... args) {
        return InProcess.tokenctl(dir, env, args);
    }

    private Process start(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(dir.resolve("follow.err").toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /**
     * Starts {@code tokenctl args} as a shell starts a command in the foreground, with SIGINT's
     * default handling: a suite run as a background job ignores SIGINT, and every process it
     * starts inherits that, tokenctl's JVM too, which then takes no SIGINT at all (a shell's
     * {@code trap - INT} cannot undo it; coreutils' env can).
     */
    private Process follow(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT", LauncherIT.LAUNCHER.toString()));
        command.addAll(List.of(args));
        return start(command);
    }

    private void signal(Process process, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor()).isZero();
    }

    /** The process's stdout, a line at a time, read on the side. */
    private static BlockingQueue<String> lines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // The process ended.
            }
        });
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    @Test
    void followPrintsEventsOfOtherProcessesWithinASecondAsJsonLinesAndSigintEndsItWithExitZero() throws Exception {
        tokenctl("token", "create", "--name", "before", "--permission", "ReadHealthCheck", "--no-expiry");
        Process follow = follow("audit", "list", "--follow", "-o", "json");
        BlockingQueue<String> lines = lines(follow);
        String first = lines.poll(20, TimeUnit.SECONDS);
        assertThat(first).as("the events that were there").isNotNull();
        JsonNode existing = JSON.readTree(first);
        assertThat(existing.get("action").asText()).isEqualTo("create");
        assertThat(existing.get("details").asText()).contains("name=before");

        for (String name : List.of("one", "two", "three")) {
            tokenctl("token", "create", "--name", name, "--permission", "ReadHealthCheck", "--no-expiry");
            long committed = System.nanoTime();
            String line = lines.poll(5, TimeUnit.SECONDS);
            assertThat(line).as("an event of another process").isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - committed)).isLessThan(Duration.ofSeconds(1));
            JsonNode event = JSON.readTree(line);
            assertThat(event.get("details").asText()).contains("name=" + name);
            assertThat(event.get("token_id").asText()).startsWith("tctl_");
        }
        tokenctl("policy", "set", "--max-rotation-grace", "2h");
        assertThat(JSON.readTree(lines.poll(5, TimeUnit.SECONDS)).get("action").asText()).isEqualTo("policy");
        assertThat(lines.poll(500, TimeUnit.MILLISECONDS)).as("each event once").isNull();

        signal(follow, "INT");
        assertThat(follow.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(follow.exitValue()).isZero();
        assertThat(Files.readString(dir.resolve("follow.err"))).isEmpty();
    }

    @Test
    void aReaderThatGoesAwayEndsFollowQuietlyWithExitZero() throws Exception {
        tokenctl("token", "create", "--name", "before", "--permission", "ReadHealthCheck", "--no-expiry");
        Process pipeline = start(List.of("bash", "-c",
                "\"$0\" audit list --follow -o json | head -n 1 >/dev/null; echo \"${PIPESTATUS[0]}\"",
                LauncherIT.LAUNCHER.toString()));
        BlockingQueue<String> lines = lines(pipeline);
        String status = null;
        for (int i = 0; i < 40 && status == null; i++) {
            // Each event is a write the follower makes; the one after head left meets a closed pipe.
            tokenctl("token", "create", "--name", "n" + i, "--permission", "ReadHealthCheck", "--no-expiry");
            status = lines.poll(500, TimeUnit.MILLISECONDS);
        }
        assertThat(status).as("tokenctl's exit status").isEqualTo("0");
        assertThat(Files.readString(dir.resolve("follow.err"))).isEmpty();
    }

    @Test
    void onPostgresqlAnEventCommittedAfterALaterNumberedOneIsStillPrintedOnce() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(engine == Engine.POSTGRESQL, "numbers and commits agree on SQLite");
        String location = env.get("TOKENCTL_DB");
        tokenctl("token", "create", "--name", "before", "--permission", "ReadHealthCheck", "--no-expiry");
        Process follow = follow("audit", "list", "--follow", "-o", "json");
        BlockingQueue<String> lines = lines(follow);
        assertThat(lines.poll(20, TimeUnit.SECONDS)).contains("name=before");
        String insert = "INSERT INTO tokenctl.audit (at, actor, action, token_id, details) VALUES (0, 'test', 'note', NULL, ?)";
        try (java.sql.Connection slow = TestPostgres.connect(location.substring(location.lastIndexOf('/') + 1));
             java.sql.Connection quick = TestPostgres.connect(location.substring(location.lastIndexOf('/') + 1))) {
            slow.setAutoCommit(false);
            try (java.sql.PreparedStatement s = slow.prepareStatement(insert)) {
                s.setString(1, "numbered first, committed last");
                s.executeUpdate();
            }
            try (java.sql.PreparedStatement s = quick.prepareStatement(insert)) {
                s.setString(1, "numbered second, committed first");
                s.executeUpdate();
            }
            assertThat(lines.poll(5, TimeUnit.SECONDS)).contains("numbered second, committed first");
            slow.commit();
            assertThat(lines.poll(5, TimeUnit.SECONDS)).contains("numbered first, committed last");
        }
        tokenctl("token", "create", "--name", "after", "--permission", "ReadHealthCheck", "--no-expiry");
        assertThat(lines.poll(5, TimeUnit.SECONDS)).contains("name=after");
        assertThat(lines.poll(1, TimeUnit.SECONDS)).as("each event once").isNull();
    }

    private void create(String name) throws Exception {
        tokenctl("token", "create", "--name", name, "--permission", "ReadHealthCheck", "--no-expiry");
    }

    @Test
    void aFollowerEndedByTermAndStartedAgainAfterTheLastSeqItPrintedMissesAndRepeatsNothing() throws Exception {
        create("before");
        Process first = follow("audit", "list", "--follow", "-o", "json");
        BlockingQueue<String> lines = lines(first);
        assertThat(lines.poll(20, TimeUnit.SECONDS)).contains("name=before");
        create("one");
        JsonNode last = JSON.readTree(lines.poll(5, TimeUnit.SECONDS));
        assertThat(last.get("details").asText()).contains("name=one");
        signal(first, "TERM");
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isZero();
        assertThat(Files.readString(dir.resolve("follow.err"))).isEmpty();

        create("while-stopped");
        Process again = follow("audit", "list", "--follow", "-o", "json", "--after", last.get("seq").asText());
        BlockingQueue<String> resumed = lines(again);
        JsonNode missed = JSON.readTree(resumed.poll(20, TimeUnit.SECONDS));
        assertThat(missed.get("details").asText()).contains("name=while-stopped");
        assertThat(missed.get("seq").asLong()).isGreaterThan(last.get("seq").asLong());
        create("after");
        assertThat(resumed.poll(5, TimeUnit.SECONDS)).contains("name=after");
        assertThat(resumed.poll(500, TimeUnit.MILLISECONDS)).as("each event once").isNull();
        signal(again, "INT");
        assertThat(again.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).isZero();
    }

    /** Runs {@code command} as the owner of a throw-away cluster: as root, the postgres user, as .ci/postgres does. */
    private static void asOwner(String... command) throws Exception {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        // Into a file: a server that pg_ctl starts keeps what it inherits open, and a pipe would never end.
        Path said = Files.createTempFile("tokenctl-pg_ctl", ".out");
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(said.toFile()).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", full)).isTrue();
            assertThat(process.exitValue()).as(String.join(" ", full) + "\n" + Files.readString(said)).isZero();
        } finally {
            Files.delete(said);
        }
    }

    @Test
    void onPostgresqlFollowRidesOutARestartOfTheServerLosingAndRepeatingNoEvent() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(engine == Engine.POSTGRESQL, "a server to restart");
        Path script = Path.of(".ci/postgres").toAbsolutePath();
        java.io.File[] versions = new java.io.File("/usr/lib/postgresql").listFiles();
        org.junit.jupiter.api.Assumptions.assumeTrue(versions != null && versions.length > 0 && Files.isExecutable(script),
                "no PostgreSQL server installed to start one of the test's own");
        Path bin = java.util.Arrays.stream(versions).map(v -> v.toPath().resolve("bin"))
                .filter(b -> Files.isExecutable(b.resolve("pg_ctl"))).max(Path::compareTo).orElseThrow();
        Path server = Files.createTempDirectory("tokenctl-restart");
        int port = TestPostgres.freePorts();
        ProcessBuilder starting = new ProcessBuilder(script.toString(), "start", server.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        starting.environment().put("TOKENCTL_TEST_PG_PORT", Integer.toString(port));
        Process started = starting.start();
        started.getInputStream().readAllBytes();
        assertThat(started.waitFor()).isZero();
        try {
            env = new java.util.HashMap<>(env);
            env.put("TOKENCTL_DB", "postgresql://tokenctl_admin@127.0.0.1:" + port + "/postgres");
            env.put("PGPASSWORD", Files.readString(server.resolve("pwfile")).strip());
            create("before");
            Process follow = follow("audit", "list", "--follow", "-o", "json");
            BlockingQueue<String> lines = lines(follow);
            assertThat(lines.poll(20, TimeUnit.SECONDS)).contains("name=before");

            asOwner(bin.resolve("pg_ctl").toString(), "-D", server.resolve("plain").toString(), "-m", "fast", "-w",
                    "-l", server.resolve("plain.log").toString(), "restart");
            create("after-restart");
            assertThat(lines.poll(20, TimeUnit.SECONDS)).contains("name=after-restart");
            create("then");
            assertThat(lines.poll(5, TimeUnit.SECONDS)).contains("name=then");
            assertThat(lines.poll(500, TimeUnit.MILLISECONDS)).as("each event once").isNull();
            assertThat(follow.isAlive()).isTrue();
            List<String> said = Files.readAllLines(dir.resolve("follow.err"));
            assertThat(said).hasSize(2);
            assertThat(said.get(0)).startsWith("tokenctl: warning: lost the store (").endsWith("); reconnecting");
            assertThat(said.get(1)).startsWith("tokenctl: warning: reconnected to the store; following on after event ");

            signal(follow, "INT");
            assertThat(follow.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(follow.exitValue()).isZero();
        } finally {
            new ProcessBuilder(script.toString(), "stop", server.toString()).inheritIO().start().waitFor();
        }
    }
}
