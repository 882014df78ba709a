package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Drives the built launcher, target/tokenctl, as a user's shell would. */
class LauncherIT {
    static final Path LAUNCHER = Path.of(System.getProperty("tokenctl.launcher", "target/tokenctl")).toAbsolutePath();

    /** A name outside ASCII, in the composed form a keyboard gives. */
    static final String NAME = "caf\u00e9-\u00fc";

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    static Run run(Path launcher, Path cwd, Map<String, String> env, String stdin, String... args)
            throws IOException, InterruptedException {
        return run(launcher, cwd, false, env, stdin, args);
    }

    /**
     * Runs with no environment but {@code env}, PATH and JAVA_HOME, as cron or {@code env -i}
     * would: no locale, and no HOME unless given.
     */
    static Run runWithOnly(Path launcher, Path cwd, Map<String, String> env, String stdin, String... args)
            throws IOException, InterruptedException {
        return run(launcher, cwd, true, env, stdin, args);
    }

    private static Run run(Path launcher, Path cwd, boolean only, Map<String, String> env, String stdin, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
        if (only) {
            builder.environment().clear();
            builder.environment().put("PATH", System.getenv("PATH"));
            if (System.getenv("JAVA_HOME") != null) {
                builder.environment().put("JAVA_HOME", System.getenv("JAVA_HOME"));
            }
        }
        builder.environment().putAll(env);
        Path out = Files.createTempFile("out", ".txt");
        Path err = Files.createTempFile("err", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    /** A copy of the build tree's launcher, jar and libraries (no archive) in {@code into}; returns the launcher. */
    static Path copyOfBuild(Path into) throws IOException {
        Files.createDirectories(into.resolve("lib"));
        Files.copy(LAUNCHER, into.resolve("tokenctl"));
        Files.copy(LAUNCHER.resolveSibling("tokenctl.jar"), into.resolve("tokenctl.jar"));
        copyJars(into.resolve("lib"));
        return into.resolve("tokenctl");
    }

    /** An installed copy in {@code into}, bin/tokenctl and lib/*.jar as the distribution has them; returns the launcher. */
    static Path installedCopy(Path into) throws IOException {
        Files.createDirectories(into.resolve("bin"));
        Files.createDirectories(into.resolve("lib"));
        Files.copy(LAUNCHER, into.resolve("bin/tokenctl"));
        copyJars(into.resolve("lib"));  // tokenctl.jar among them
        return into.resolve("bin/tokenctl");
    }

    /**
     * The build's jars, without the native library beside them: such a copy keeps sqlite-jdbc's
     * library in its user's cache, as a copy does on a platform the build has no library for.
     */
    private static void copyJars(Path lib) throws IOException {
        try (var jars = Files.list(LAUNCHER.resolveSibling("lib"))) {
            for (Path jar : jars.filter(Files::isRegularFile).toList()) {
                Files.copy(jar, lib.resolve(jar.getFileName()));
            }
        }
    }

    @Test
    void worksFromAnyDirectoryAndThroughASymlinkPassingExitCodes() throws Exception {
        Map<String, String> env = Map.of("TOKENCTL_DB", dir.resolve("tokens.db").toString());
        Run created = run(LAUNCHER, dir, env, "", "token", "create", "--name", "it", "--permission", "ReadHealthCheck",
                "--expires-in", "1h");
        assertThat(created.code()).as(created.toString()).isZero();
        String token = created.out().strip();
        assertThat(token).startsWith("tctl_");

        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path link = Files.createSymbolicLink(bin.resolve("tokenctl"), LAUNCHER);
        Run verified = run(link, Path.of("/"), env, token + "\n", "token", "verify");
        assertThat(verified.code()).as(verified.toString()).isZero();
        assertThat(verified.out()).startsWith("valid tctl_");

        Run denied = run(link, dir, env, "garbage\n", "token", "verify");
        assertThat(denied.code()).isEqualTo(1);
        assertThat(denied.err()).isEqualTo("denied: malformed\n");

        Run notFound = run(LAUNCHER, dir, env, "", "token", "show", "nope");
        assertThat(notFound.code()).isEqualTo(3);
        Run usage = run(LAUNCHER, dir, env, "", "token", "create", "--name", "x y", "--permission", "ReadHealthCheck");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).startsWith("tokenctl: error: ").doesNotContain("\tat ");
    }

    @Test
    void theStoreIsPrivateWhateverTheUmask() throws Exception {
        for (String umask : new String[] {"000", "022", "277"}) {
            Path db = dir.resolve("u" + umask).resolve("tokens.db");
            ProcessBuilder builder = new ProcessBuilder("sh", "-c", "umask " + umask + " && exec \"$0\" token list", LAUNCHER.toString());
            builder.environment().put("TOKENCTL_DB", db.toString());
            Process process = builder.redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(output).isZero();
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(db)))
                    .as("umask " + umask).isEqualTo("rw-------");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(db.getParent())))
                    .as("umask " + umask).isEqualTo("rwx------");
        }
    }

    @Test
    void worksFromADirectoryWithASpaceAndWithCdpathSet() throws Exception {
        Path build = copyOfBuild(dir.resolve("a build")).getParent();
        Map<String, String> env = Map.of("TOKENCTL_DB", dir.resolve("my store/tokens.db").toString(),
                "CDPATH", ".:/tmp", "HOME", dir.resolve("home dir").toString());
        Run train = run(build.resolve("tokenctl"), dir, Map.of("TOKENCTL_TRAIN", "1"), "");
        assertThat(train.code()).as(train.toString()).isZero();
        assertThat(build.resolve("tokenctl-text.jsa")).exists();
        assertThat(build.resolve("tokenctl-json.jsa")).exists();
        assertThat(build.resolve("tokenctl-all.jsa")).exists();
        Run created = run(build.resolve("tokenctl"), build, env, "", "token", "create", "--name", "s", "--permission",
                "ReadHealthCheck", "--no-expiry");
        assertThat(created.code()).as(created.toString()).isZero();
        assertThat(run(build.resolve("tokenctl"), dir, env, created.out(), "token", "verify").code()).isZero();
    }

    @Test
    void aTokenThatCannotBeWrittenToStdoutIsAnErrorNamingIt() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "token", "create", "--name", "full",
                "--permission", "ReadHealthCheck", "--no-expiry").redirectOutput(new java.io.File("/dev/full"));
        builder.environment().put("TOKENCTL_DB", dir.resolve("tokens.db").toString());
        Process process = builder.start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(err).isEqualTo(6);
        assertThat(err).startsWith("tokenctl: error: token tctl_").contains("could not be written to standard output",
                "tokenctl token revoke tctl_");
    }

    @Test
    void aFailedWriteToStdoutIsAnErrorAndAReaderThatLeftEndsTheCommandQuietly() throws Exception {
        Map<String, String> env = Map.of("TOKENCTL_DB", dir.resolve("tokens.db").toString());
        String token = run(LAUNCHER, dir, env, "", "token", "create", "--name", "w", "--permission", "ReadHealthCheck",
                "--no-expiry").out().strip();
        for (String command : List.of("token list", "policy show", "audit list", "token show w -o json",
                "token verify", "token verify --batch", "permissions list", "--version", "--help")) {
            ProcessBuilder builder = new ProcessBuilder("sh", "-c", "printf '%s\\n' \"$T\" | \"$L\" " + command + " >/dev/full");
            builder.environment().putAll(env);
            builder.environment().put("T", token);
            builder.environment().put("L", LAUNCHER.toString());
            Process process = builder.start();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(command + ": " + err).isEqualTo(74);
            if (!command.equals("--help")) {
                assertThat(err).as(command).startsWith("tokenctl: error: cannot write to standard output: ")
                        .hasLineCount(1);
            }
        }
        // A reader that has what it wants and leaves: the batch stops at once, quietly, with exit 0.
        ProcessBuilder builder = new ProcessBuilder("bash", "-c",
                "yes \"$T\" | \"$L\" token verify --batch 2>err.txt | head -1; echo \"tokenctl ${PIPESTATUS[1]}\"")
                .directory(dir.toFile());
        builder.environment().putAll(env);
        builder.environment().put("T", token);
        builder.environment().put("L", LAUNCHER.toString());
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("verify --batch stops when its reader has gone").isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).startsWith("valid tctl_").endsWith("\ntokenctl 0\n");
        assertThat(Files.readString(dir.resolve("err.txt"))).isEmpty();
    }

    @Test
    void argumentsWithSpacesAndQuotesPassThroughUnchanged() throws Exception {
        Map<String, String> env = Map.of("TOKENCTL_DB", dir.resolve("tokens.db").toString());
        String name = "it's a \"quoted\" $name *";
        Run created = run(LAUNCHER, dir, env, "", "token", "create", "--name", name, "--permission", "ReadHealthCheck",
                "--no-expiry", "-o", "json");
        assertThat(created.code()).as(created.toString()).isZero();
        assertThat(created.out()).contains("it's a \\\"quoted\\\" $name *");
    }

    /**
     * Runs {@code script} in sh with {@code $n} set to NAME, and {@code $0}, {@code $1} to
     * {@code words}. The name's bytes come from printf, not from this JVM, whose own arguments
     * to processes are only as good as its locale.
     */
    private Run inShell(Map<String, String> env, String script, String... words) throws Exception {
        List<String> args = new ArrayList<>(List.of("-c", "n=$(printf 'caf\\303\\251-\\303\\274') && " + script));
        args.addAll(List.of(words));
        return runWithOnly(Path.of("/bin/sh"), dir, env, "", args.toArray(String[]::new));
    }

    @ParameterizedTest(name = "LANG={0}")
    @ValueSource(strings = {"C", "unset"})
    void nonAsciiNamesAndPathsWorkWithoutAUtf8Locale(String lang) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("TOKENCTL_DB", dir.resolve("tokens.db").toString(),
                "HOME", dir.toString()));
        if (!lang.equals("unset")) {
            env.put("LANG", lang);
        }
        String launcher = LAUNCHER.toString();
        Run created = inShell(env, "exec \"$0\" token create --name \"$n\" --permission ReadHealthCheck --no-expiry"
                + " --secret-out \"secret-$n.txt\"", launcher);
        assertThat(created.code()).as(created.toString()).isZero();
        assertThat(inShell(env, "cat \"secret-$n.txt\"").out()).startsWith("tctl_");

        Run shown = inShell(env, "exec \"$0\" token show \"$n\"", launcher);
        assertThat(shown.code()).as(shown.toString()).isZero();
        assertThat(shown.out()).as("read as UTF-8").contains(NAME);
        Run listed = inShell(env, "exec \"$0\" token list -o json", launcher);
        assertThat(listed.code()).as(listed.toString()).isZero();
        assertThat(listed.out()).contains("\"name\" : \"" + NAME + "\"");
    }

    /** Without the launcher, Java takes the arguments in the C locale's ASCII; tokenctl reads them again as UTF-8. */
    @Test
    void thePlainJarTakesAndPrintsUtf8InTheCLocale() throws Exception {
        Map<String, String> env = Map.of("TOKENCTL_DB", dir.resolve("tokens.db").toString(), "HOME", dir.toString(),
                "LANG", "C");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = LAUNCHER.resolveSibling("tokenctl.jar").toString();
        Run created = inShell(env, "exec \"$0\" -jar \"$1\" token create --name \"$n\" --permission ReadHealthCheck"
                + " --no-expiry -o json", java, jar);
        assertThat(created.code()).as(created.toString()).isZero();
        assertThat(created.out()).contains("\"name\" : \"" + NAME + "\"");
        Run shown = inShell(env, "exec \"$0\" -jar \"$1\" token show \"$n\"", java, jar);
        assertThat(shown.code()).as(shown.toString()).isZero();
        assertThat(shown.out()).contains(NAME);
    }
}
