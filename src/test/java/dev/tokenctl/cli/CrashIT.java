package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kills tokenctl with SIGKILL at random points of create, rotate, revoke and policy set, many
 * times, on each engine: the store always opens, is whole, and every token whose string reached
 * stdout verifies.
 */
@ParameterizedClass
@EnumSource(Engine.class)
class CrashIT {
    static final int ROUNDS = 40;
    /** Runs of the launcher timed before the kills, the victims being made in this JVM. */
    static final int TIMED = 3;

    @Parameter
    Engine engine;
    @TempDir
    Path dir;

    @Test
    void killedAtRandomPointsTheStoreStaysWholeAndPrintedTokensVerify() throws Exception {
        String location = engine.newStore(dir);
        Map<String, String> env = engine.env(location);
        for (int i = 0; i < ROUNDS; i++) {
            InProcess.tokenctl(dir, env, "token", "create", "--name", "victim-" + i, "--permission", "ReadHealthCheck",
                    "--no-expiry");
        }
        // How long one run takes here: the kills are spread over that, and a little past it.
        long timing = System.nanoTime();
        for (int i = 0; i < TIMED; i++) {
            LauncherIT.Run timed = LauncherIT.run(LauncherIT.LAUNCHER, dir, env, "", "token", "create", "--name",
                    "timed-" + i, "--permission", "ReadHealthCheck", "--no-expiry");
            assertThat(timed.code()).as(timed.toString()).isZero();
        }
        int runMillis = (int) ((System.nanoTime() - timing) / 1_000_000 / TIMED);
        Files.writeString(dir.resolve("p0.yaml"), "max_expiry: null\ndefault_expiry: 1d\nallow_permission_updates: true\n");
        Files.writeString(dir.resolve("p1.yaml"), "max_expiry: 3650d\ndefault_expiry: 2d\nallow_permission_updates: false\n");

        Random random = new Random(20261129);
        List<String> printed = new ArrayList<>();
        int killed = 0;
        for (int i = 0; i < ROUNDS; i++) {
            String[] args = switch (i % 4) {
                case 0 -> new String[] {"token", "create", "--name", "crash-" + i, "--permission", "ReadHealthCheck",
                    "--expires-in", "30d"};
                case 1 -> new String[] {"token", "rotate", "victim-" + i};
                case 2 -> new String[] {"token", "revoke", "victim-" + i};
                default -> new String[] {"policy", "set", "--file", "p" + (i / 4 % 2) + ".yaml", "--yes"};
            };
            List<String> command = new ArrayList<>(List.of(LauncherIT.LAUNCHER.toString()));
            command.addAll(List.of(args));
            Path out = dir.resolve("out-" + i);
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().putAll(env);
            Process process = builder.start();
            boolean exited = process.waitFor(random.nextInt(runMillis * 5 / 4 + 1), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.destroyForcibly();
                killed++;
            }
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            for (String line : Files.readAllLines(out)) {
                if (line.startsWith("tctl_")) {
                    printed.add(line);
                }
            }
        }
        assertThat(killed).as("processes killed before they finished").isGreaterThan(ROUNDS / 4);
        assertThat(engine.integrity(location)).isEqualTo("ok");
        LauncherIT.Run list = LauncherIT.run(LauncherIT.LAUNCHER, dir, env, "", "token", "list", "--all");
        assertThat(list.code()).as(list.toString()).isZero();
        if (!printed.isEmpty()) {
            LauncherIT.Run verify = LauncherIT.run(LauncherIT.LAUNCHER, dir, env, String.join("\n", printed) + "\n",
                    "token", "verify", "--batch");
            assertThat(verify.out().lines()).as(verify.toString()).hasSize(printed.size()).allMatch(l -> l.startsWith("valid "));
        }
        LauncherIT.Run policy = LauncherIT.run(LauncherIT.LAUNCHER, dir, env, "", "policy", "show", "-o", "yaml");
        assertThat(policy.out()).containsAnyOf("default_expiry: 1d\n", "default_expiry: 2d\n", "default_expiry: null\n");
    }
}
