package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's start-up aids (not timed): it uses the class-data-sharing archive and the
 * cached native library when they are there, and works the same when they are missing, damaged
 * or made by another JDK.
 */
class StartupIT {
    static final Path TARGET = LauncherIT.LAUNCHER.getParent();

    @TempDir
    Path dir;
    Map<String, String> env;

    @BeforeEach
    void setUp() {
        env = new HashMap<>();
        env.put("TOKENCTL_DB", dir.resolve("tokens.db").toString());
        env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        env.put("HOME", dir.toString());
    }

    private LauncherIT.Run run(Path launcher, String... args) throws Exception {
        return LauncherIT.run(launcher, dir, env, "", args);
    }

    private Path cachedLibrary() throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("cache"))) {
            return files.filter(p -> p.getFileName().toString().equals("libsqlitejdbc.so")).findFirst().orElseThrow();
        }
    }

    @Test
    void usesTheArchiveAndTheCachedNativeLibrary() throws Exception {
        assertThat(TARGET.resolve("tokenctl.jsa")).as("mvn package makes the archive").exists();
        Path log = dir.resolve("classes.log");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        env.put("TOKENCTL_JAVA_OPTS", "-Xlog:class+load:file=" + log + " -Djava.io.tmpdir=" + tmp);
        LauncherIT.Run list = run(LauncherIT.LAUNCHER, "token", "list");
        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.err()).isEmpty();
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).anyMatch(l -> l.contains("dev.tokenctl.cli.Main source: shared objects file"))
                .anyMatch(l -> l.contains("picocli.CommandLine source: shared objects file"));
        assertThat(cachedLibrary()).exists();
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(Path::toString)).as("no native library extracted to the temp directory")
                    .noneMatch(name -> name.contains("sqlite"));
        }
    }

    @Test
    void worksTheSameWithoutOrWithADamagedArchiveOrLibrary() throws Exception {
        String expected = run(LauncherIT.LAUNCHER, "token", "create", "--name", "a", "--permission", "ReadHealthCheck",
                "--no-expiry", "-o", "json").out();
        assertThat(expected).contains("\"name\" : \"a\"");
        String listed = run(LauncherIT.LAUNCHER, "token", "list", "-o", "json").out();

        Path copy = LauncherIT.copyOfBuild(dir.resolve("build"));
        assertThat(copy.resolveSibling("tokenctl.jsa")).doesNotExist();
        LauncherIT.Run without = run(copy, "token", "list", "-o", "json");
        assertThat(without.out()).isEqualTo(listed);
        assertThat(without.err()).isEmpty();

        Files.write(copy.resolveSibling("tokenctl.jsa"), "not an archive".repeat(1000).getBytes());
        LauncherIT.Run damaged = run(copy, "token", "list", "-o", "json");
        assertThat(damaged.code()).isZero();
        assertThat(damaged.out()).isEqualTo(listed);
        assertThat(damaged.err()).isEmpty();

        Files.write(cachedLibrary(), new byte[] {1, 2, 3});
        LauncherIT.Run relinked = run(copy, "token", "list", "-o", "json");
        assertThat(relinked.out()).as(relinked.toString()).isEqualTo(listed);
        assertThat(Files.size(cachedLibrary())).as("extracted again").isGreaterThan(100_000);
    }

    @Test
    void anArchiveMadeByAnotherJdkIsIgnoredQuietly() throws Exception {
        Path otherJdk = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(otherJdk.resolve("bin/java")), "no second JDK here");
        env.put("JAVA_HOME", otherJdk.toString());
        LauncherIT.Run list = run(LauncherIT.LAUNCHER, "token", "list");
        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.out()).startsWith("ID ");
        assertThat(list.err()).isEmpty();
    }

    @Test
    void thePlainJarStillRunsWithJavaJar() throws Exception {
        LauncherIT.Run version = LauncherIT.run(Path.of(System.getProperty("java.home"), "bin", "java"), dir, env, "",
                "-jar", TARGET.resolve("tokenctl.jar").toString(), "token", "list");
        assertThat(version.code()).as(version.toString()).isZero();
        assertThat(version.out()).startsWith("ID ");
    }
}
