package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command path of the tree, run through an installed copy's launcher with text output on
 * SQLite, with -o json, and on PostgreSQL: each finds its classes, whatever jars the launcher
 * chose for it. The three run side by side, each on a store of its own.
 */
class CommandPathsIT {
    @TempDir
    Path dir;

    @Test
    void everyCommandPathFindsItsClassesInEachOutputAndOnEachEngine() throws Exception {
        Path launcher = LauncherIT.installedCopy(dir.resolve("installed"));
        List<Thread> modes = new ArrayList<>();
        Map<String, Object> results = new java.util.concurrent.ConcurrentHashMap<>();
        String postgres = TestPostgres.newDatabase();
        for (String mode : List.of("text", "json", "postgresql")) {
            Thread thread = new Thread(() -> {
                try {
                    results.put(mode, run(launcher, mode, postgres));
                } catch (Throwable e) {
                    results.put(mode, e);
                }
            });
            thread.start();
            modes.add(thread);
        }
        for (Thread thread : modes) {
            thread.join(TimeUnit.MINUTES.toMillis(3));
        }
        // The archives the second runs of each kind began making, finished before the directory goes.
        Path cache = dir.resolve("home/.cache/tokenctl");
        for (int i = 0; i < 600 && Files.list(cache).anyMatch(p -> p.toString().endsWith(".lock")); i++) {
            Thread.sleep(100);
        }
        for (String mode : List.of("text", "json", "postgresql")) {
            if (results.get(mode) instanceof Throwable failure) {
                throw new AssertionError(mode, failure);
            }
            assertThat((Set<?>) results.get(mode)).as(mode).hasSize(29);
        }
    }

    /** Runs every command path in {@code mode}; returns the paths run. */
    private Set<String> run(Path launcher, String mode, String postgres) throws Exception {
        Path home = Files.createDirectories(dir.resolve(mode));
        Map<String, String> env = new HashMap<>(Map.of("HOME", dir.resolve("home").toString()));
        env.putAll(mode.equals("postgresql") ? Engine.POSTGRESQL.env(postgres) : Engine.SQLITE.env(home.resolve("tokens.db").toString()));
        List<String> global = mode.equals("json") ? List.of("-o", "json") : List.of();
        Set<String> paths = new LinkedHashSet<>();
        Path secret = home.resolve("secret");
        String[][] commands = {
            {"0", "--help"}, {"2", "token"}, {"2", "policy"}, {"2", "ipfilter"}, {"2", "permissions"}, {"2", "audit"}, {"2", "store"},
            {"0", "token", "create", "--name", "a", "--permission", "ReadHealthCheck", "--no-expiry", "--secret-out", secret.toString()},
            {"0", "token", "list"}, {"0", "token", "show", "a"}, {"0", "token", "update", "a", "--description", "d"},
            {"0", "ipfilter", "add", "f", "--rule", "allow 10.0.0.0/8"}, {"0", "ipfilter", "list"}, {"0", "ipfilter", "show", "f"},
            {"0", "ipfilter", "update", "f", "--rule", "allow 10.0.0.0/16"}, {"0", "ipfilter", "test", "f", "10.0.0.1"},
            {"0", "ipfilter", "remove", "f"}, {"0", "policy", "show"}, {"0", "policy", "set", "--max-expiry", "400d", "--yes"},
            {"0", "permissions", "list"}, {"0", "audit", "list"}, {"0", "store", "info"},
            {"0", "store", "copy", "--to", home.resolve("copy.db").toString()}, {"0", "metrics"}, {"0", "completion", "bash"},
        };
        for (String[] command : commands) {
            String[] args = java.util.Arrays.copyOfRange(command, 1, command.length);
            check(LauncherIT.run(launcher, home, env, "", withGlobal(global, args)), Integer.parseInt(command[0]), args);
            paths.add(path(args));
        }
        String token = Files.readString(secret).strip();
        check(LauncherIT.run(launcher, home, env, token + "\n", withGlobal(global, "token", "verify")), 0, "token verify");
        paths.add("token verify");
        serve(launcher, home, env, token);
        paths.add("serve");
        Files.delete(secret);
        check(LauncherIT.run(launcher, home, env, "", withGlobal(global, "token", "rotate", "a", "--secret-out", secret.toString())),
                0, "token rotate");
        paths.add("token rotate");
        check(LauncherIT.run(launcher, home, env, "", withGlobal(global, "token", "revoke", "a")), 0, "token revoke");
        paths.add("token revoke");
        return paths;
    }

    /** serve, answering a check, until SIGTERM. */
    private static void serve(Path launcher, Path home, Map<String, String> env, String token) throws Exception {
        int port = ServeIT.freePort();
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "serve", "--listen", "127.0.0.1:" + port)
                .directory(home.toFile()).redirectOutput(home.resolve("serve.out").toFile())
                .redirectError(home.resolve("serve.err").toFile());
        builder.environment().putAll(env);
        Process server = builder.start();
        try {
            HttpResponse<String> answer = null;
            for (int i = 0; i < 300 && answer == null && server.isAlive(); i++) {
                try {
                    answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/v1/authz?require=ReadHealthCheck")).header("Authorization", "Bearer " + token).build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (java.net.ConnectException e) {
                    Thread.sleep(50);
                }
            }
            assertThat(answer).as(Files.readString(home.resolve("serve.err"))).isNotNull();
            assertThat(answer.statusCode()).isEqualTo(200);
        } finally {
            server.destroy();
            assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(server.exitValue()).isZero();
        assertThat(Files.readString(home.resolve("serve.err"))).doesNotContain("NoClassDefFoundError", "ClassNotFoundException", "SLF4J");
    }

    private static void check(LauncherIT.Run run, int code, String... args) {
        // Nor a word from the drivers' logging (SLF4J's, sqlite-jdbc's through it).
        assertThat(run.err()).as(String.join(" ", args)).doesNotContain("NoClassDefFoundError", "ClassNotFoundException",
                "error: internal error", "SLF4J");
        assertThat(run.code()).as(String.join(" ", args) + "\n" + run).isEqualTo(code);
    }

    private static String[] withGlobal(List<String> global, String... args) {
        List<String> all = new ArrayList<>(global);
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    /** The command path of {@code args}: its first words, up to the first option or argument. */
    private static String path(String... args) {
        if (args[0].startsWith("-")) {
            return "";
        }
        boolean group = Cli.subcommands(TokenctlCommand.class).containsKey(args[0])
                && !Cli.subcommands(Cli.subcommands(TokenctlCommand.class).get(args[0])).isEmpty();
        return group && args.length > 1 ? args[0] + " " + args[1] : args[0];
    }
}
