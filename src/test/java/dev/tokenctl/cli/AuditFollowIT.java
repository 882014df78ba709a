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

    private String tokenctl(String... args) throws Exception {
        LauncherIT.Run run = LauncherIT.run(LauncherIT.LAUNCHER, dir, env, "", args);
        assertThat(run.code()).as(run.toString()).isZero();
        return run.out().strip();
    }

    private Process start(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(dir.resolve("follow.err").toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
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
        Process follow = start(List.of(LauncherIT.LAUNCHER.toString(), "audit", "list", "--follow", "-o", "json"));
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

        new ProcessBuilder("kill", "-INT", Long.toString(follow.pid())).start().waitFor();
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
        Process follow = start(List.of(LauncherIT.LAUNCHER.toString(), "audit", "list", "--follow", "-o", "json"));
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
}
