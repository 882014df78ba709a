package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
    void usesTheArchiveAndTheNativeLibraryBesideTheJars() throws Exception {
        for (String kind : new String[] {"text", "json", "all"}) {
            assertThat(TARGET.resolve("tokenctl-" + kind + ".jsa")).as("mvn package makes the archives").exists();
        }
        assertThat(Files.size(TARGET.resolve("tokenctl-text.jsa"))).as("text output on SQLite needs less")
                .isLessThan(Files.size(TARGET.resolve("tokenctl-all.jsa")) / 2);
        assertThat(Files.size(TARGET.resolve("tokenctl-json.jsa"))).as("json and yaml need neither Netty nor the driver")
                .isLessThan(Files.size(TARGET.resolve("tokenctl-all.jsa")) * 3 / 4);
        Path log = dir.resolve("classes.log");
        Path libraries = dir.resolve("libraries.log");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        env.put("TOKENCTL_JAVA_OPTS", "-Xlog:class+load:file=" + log + " -Xlog:library=info:file=" + libraries
                + " -Djava.io.tmpdir=" + tmp);
        LauncherIT.Run list = run(LauncherIT.LAUNCHER, "token", "list");
        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.err()).isEmpty();
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).anyMatch(l -> l.contains("dev.tokenctl.startup.Main source: shared objects file"))
                .anyMatch(l -> l.contains("picocli.CommandLine source: shared objects file"));
        assertThat(lines).as("text output takes no Jackson").noneMatch(l -> l.contains("com.fasterxml.jackson"));
        assertThat(lines).as("sqlite-jdbc logs to SLF4J's no-op, never setting up java.util.logging")
                .anyMatch(l -> l.contains("org.slf4j.helpers.NOPLoggerFactory source: shared objects file"))
                .noneMatch(l -> l.contains("java.util.logging.LogManager "));
        assertThat(Files.readString(libraries)).as("the library mvn package put beside the jars")
                .containsPattern("Loaded library " + java.util.regex.Pattern.quote(TARGET.resolve("lib/native").toString())
                        + "/Linux/[a-z0-9_]+/libsqlitejdbc.so");
        assertThat(dir.resolve("cache/tokenctl/sqlite-native")).as("nothing cached").doesNotExist();

        for (String[] format : new String[][] {{"-o", "json"}, {"--output=YAML"}, {"-ojson"}}) {
            Files.deleteIfExists(log);
            String[] args = format.length == 2 ? new String[] {"token", "list", format[0], format[1]}
                    : new String[] {"token", "list", format[0]};
            LauncherIT.Run listed = run(LauncherIT.LAUNCHER, args);
            assertThat(listed.code()).as(listed.toString()).isZero();
            assertThat(Files.readAllLines(log)).as(String.join(" ", format) + " takes the larger archive")
                    .anyMatch(l -> l.contains("com.fasterxml.jackson.databind.ObjectMapper source: shared objects file"));
        }
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(Path::toString)).as("no native library extracted to the temp directory")
                    .noneMatch(name -> name.contains("sqlite"));
        }
    }

    /**
     * The launcher decides by the command's words, as the command line reads them: the command
     * path, the output format and the store, never a value that happens to name one of them.
     * Every kind gets every jar. An underscore in an argument below stands for a space.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text: token list", "text: permissions list", "text: --help", "text: token show x",
        "text: token list -o wide", "text: token list --output=TEXT", "text: ipfilter list", "text: policy show",
        "text: audit list", "text: store info", "text: metrics", "text: token show serve",
        "text: token update x --description we_serve_customers", "text: token update x --label db=postgres-main",
        "text: ipfilter add vpn --file vpn.rules", "text: --verbose token --db x.db list",
        "json: token list -o json", "json: policy show --output=yaml", "json: token verify -ojson", "json: token list -o=YAML",
        "json: policy show --output json", "all: serve --help", "all: tokn list", "all: token list --db postgresql://nobody@127.0.0.1:1/none -o json",
        "all: token list --db=jdbc:postgresql://nobody@127.0.0.1:1/none"})
    void eachKindOfCommandGetsItsArchiveAndItsJars(String kindAndCommand) throws Exception {
        String kind = kindAndCommand.substring(0, kindAndCommand.indexOf(':'));
        Path log = dir.resolve("cds.log");
        Path path = dir.resolve("class-path.log");
        env.put("TOKENCTL_JAVA_OPTS", "-Xlog:cds=info:file=" + log + " -Xlog:class+path=info:file=" + path);
        String[] args = kindAndCommand.substring(kind.length() + 2).split(" ");
        for (int i = 0; i < args.length; i++) {
            args[i] = args[i].replace('_', ' ');
        }
        LauncherIT.Run run = run(LauncherIT.LAUNCHER, args);
        assertThat(Files.readString(log)).contains("Opened archive " + TARGET.resolve("tokenctl-" + kind + ".jsa"));
        // The JVM logs the base archive's class path (none), then tokenctl's.
        String classPath = Files.readString(path).lines().filter(l -> l.contains("Expecting -Djava.class.path=/"))
                .findFirst().orElseThrow();
        // First the jars every command reads from, in the order it looks in them.
        assertThat(classPath).containsPattern("=" + java.util.regex.Pattern.quote(TARGET.resolve("lib/tokenctl.jar") + ":")
                + "[^:]*/sqlite-jdbc-[^:/]*:[^:]*/slf4j-api-[^:/]*:[^:]*/slf4j-nop-[^:/]*:[^:]*/ipaddress-[^:/]*:");
        assertThat(classPath).contains("jackson-databind", "snakeyaml", "postgresql-", "netty-codec-http");
        assertThat(run.err()).doesNotContain("NoClassDefFoundError", "ClassNotFoundException", "Exception in thread", "SLF4J");
        assertThat(run.code()).as(run.toString()).isNotEqualTo(ExitCode.INTERNAL.code());
    }

    @Test
    void aPostgresqlStoreFromTheEnvironmentGetsTheGeneralArchive() throws Exception {
        Path log = dir.resolve("cds.log");
        env.put("TOKENCTL_JAVA_OPTS", "-Xlog:cds=info:file=" + log);
        env.put("TOKENCTL_DB", "jdbc:postgresql://nobody@127.0.0.1:1/none?connect_timeout=1");
        LauncherIT.Run run = run(LauncherIT.LAUNCHER, "token", "list");
        assertThat(Files.readString(log)).contains("Opened archive " + TARGET.resolve("tokenctl-all.jsa"));
        assertThat(run.err()).startsWith("tokenctl: error: ").doesNotContain("NoClassDefFoundError");
    }

    @Test
    void theArchiveCanBeTurnedOff() throws Exception {
        env.put("TOKENCTL_ARCHIVE", "0");
        Path launcher = LauncherIT.installedCopy(dir.resolve("installed"));
        for (int i = 0; i < 3; i++) {
            assertThat(usesTheArchive(launcher)).isFalse();
        }
        assertThat(usesTheArchive(LauncherIT.LAUNCHER)).as("the build's either").isFalse();
        assertThat(archives()).as("nothing made").isEmpty();
    }

    @Test
    void worksTheSameWithoutOrWithADamagedArchiveOrLibrary() throws Exception {
        String expected = run(LauncherIT.LAUNCHER, "token", "create", "--name", "a", "--permission", "ReadHealthCheck",
                "--no-expiry", "-o", "json").out();
        assertThat(expected).contains("\"name\" : \"a\"");
        String listed = run(LauncherIT.LAUNCHER, "token", "list", "-o", "json").out();

        Path copy = LauncherIT.copyOfBuild(dir.resolve("build"));
        assertThat(copy.resolveSibling("tokenctl-all.jsa")).doesNotExist();
        LauncherIT.Run without = run(copy, "token", "list", "-o", "json");
        assertThat(without.out()).isEqualTo(listed);
        assertThat(without.err()).isEmpty();

        Files.write(copy.resolveSibling("tokenctl-all.jsa"), "not an archive".repeat(1000).getBytes());
        Files.write(copy.resolveSibling("tokenctl-text.jsa"), "not an archive".repeat(1000).getBytes());
        Files.write(copy.resolveSibling("tokenctl-json.jsa"), "not an archive".repeat(1000).getBytes());
        LauncherIT.Run text = run(copy, "token", "list");
        assertThat(text.code()).isZero();
        assertThat(text.out()).startsWith("ID ");
        assertThat(text.err()).isEmpty();
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

    /**
     * An installed copy run twice, under umask 000, and its start-up archive, which the second
     * run makes in the background in the cache of {@link #env}; returns the launcher.
     */
    private Path installedAndTrained() throws Exception {
        Path launcher = LauncherIT.installedCopy(dir.resolve("installed"));
        for (int run = 1; run <= 2; run++) {
            LauncherIT.Run list = LauncherIT.run(Path.of("/bin/sh"), dir, env, "", "-c",
                    "umask 000 && exec \"$0\" token list", launcher.toString());
            assertThat(list.code()).as(list.toString()).isZero();
            if (run == 1) {
                assertThat(archives()).as("none made for a kind run once").isEmpty();
            }
        }
        waitForTheArchive();
        return launcher;
    }

    /** Waits until the archive being made is there and its maker gone, so it does not write as the directory is removed. */
    private void waitForTheArchive() throws Exception {
        for (int i = 0; i < 240 && !(archives().size() == 1 && archives().get(0).endsWith(".jsa")); i++) {
            Thread.sleep(500);
        }
        assertThat(archives()).hasSize(1).allMatch(name -> name.endsWith(".jsa"));
    }

    private Path cache() {
        return dir.resolve("cache/tokenctl");
    }

    /** The start-up archive's files in the cache: archives, and the lock of one being made. */
    private List<String> archives() throws IOException {
        try (Stream<Path> files = Files.list(cache())) {
            return files.map(p -> p.getFileName().toString()).filter(name -> name.startsWith("cds-") && !name.endsWith(".used"))
                    .sorted().toList();
        }
    }

    /** Whether a run of {@code launcher} took tokenctl's classes from the start-up archive. */
    private boolean usesTheArchive(Path launcher) throws Exception {
        Path log = Files.createTempFile(dir, "classes", ".log");
        Map<String, String> logged = new HashMap<>(env);
        logged.put("TOKENCTL_JAVA_OPTS", "-Xlog:class+load:file=" + log);
        LauncherIT.Run list = LauncherIT.run(launcher, dir, logged, "", "token", "list");
        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.err()).isEmpty();
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).as("classes logged").anyMatch(l -> l.contains("dev.tokenctl.startup.Main source: "));
        return lines.stream().anyMatch(l -> l.contains("dev.tokenctl.startup.Main source: shared objects file"));
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static List<String> listing(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(Path::toString).sorted().toList();
        }
    }

    /** The archive is code the JVM runs: never kept in /tmp, which is everyone's, when there is no HOME. */
    @ParameterizedTest(name = "HOME {0}")
    @ValueSource(strings = {"unset", "empty"})
    void withoutHomeAnInstalledCopyKeepsNoCacheAndStillWorks(String home) throws Exception {
        Path launcher = LauncherIT.installedCopy(dir.resolve("installed"));
        Path userHome = dir.resolve("user.home");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Map<String, String> bare = new HashMap<>(Map.of("TOKENCTL_DB", dir.resolve("tokens.db").toString(),
                "TOKENCTL_JAVA_OPTS", "-Duser.home=" + userHome + " -Djava.io.tmpdir=" + tmp));
        if (home.equals("empty")) {
            bare.put("HOME", "");
        }
        Path shared = Path.of("/tmp/.cache/tokenctl");
        List<String> before = listing(shared);
        LauncherIT.Run created = LauncherIT.runWithOnly(launcher, dir, bare, "", "token", "create", "--name", "h",
                "--permission", "ReadHealthCheck", "--no-expiry");
        assertThat(created.code()).as(created.toString()).isZero();
        Path log = dir.resolve("classes.log");
        bare.put("TOKENCTL_JAVA_OPTS", bare.get("TOKENCTL_JAVA_OPTS") + " -Xlog:class+load:file=" + log);
        LauncherIT.Run listed = LauncherIT.runWithOnly(launcher, dir, bare, "", "token", "list");
        assertThat(listed.code()).as(listed.toString()).isZero();
        assertThat(listed.out()).contains(" h ");
        assertThat(Files.readAllLines(log)).as("no archive used").anyMatch(l -> l.contains("dev.tokenctl.startup.Main source: "))
                .noneMatch(l -> l.contains("dev.tokenctl.startup.Main source: shared objects file"));
        assertThat(listing(shared)).as("nothing made in " + shared).isEqualTo(before);
        assertThat(userHome).as("nor a cache in Java's user.home").doesNotExist();
    }

    @Test
    void anArchiveOrCacheOthersMayWriteIsNeitherUsedNorTrainedInto() throws Exception {
        Path launcher = installedAndTrained();
        assertThat(mode(cache())).as("whatever the umask").isEqualTo("rwx------");
        assertThat(mode(cache().getParent())).as("made on the way").isEqualTo("rwx------");
        Path archive = cache().resolve(archives().get(0));
        FileTime made = Files.getLastModifiedTime(archive);
        assertThat(usesTheArchive(launcher)).as("the archive as made").isTrue();

        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(usesTheArchive(launcher)).as("an archive anyone may write").isFalse();
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(cache(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(usesTheArchive(launcher)).as("in a directory anyone may write").isFalse();
        assertThat(archives()).containsExactly(archive.getFileName().toString());
        assertThat(Files.getLastModifiedTime(archive)).as("not made again").isEqualTo(made);

        Files.delete(archive);
        assertThat(usesTheArchive(launcher)).isFalse();
        assertThat(archives()).as("no archive started in a directory anyone may write").isEmpty();
        Files.setPosixFilePermissions(cache(), PosixFilePermissions.fromString("rwx------"));
        LauncherIT.Run listed = run(launcher, "token", "list");
        assertThat(listed.code()).as(listed.toString()).isZero();
        assertThat(archives()).as("started once private again").isNotEmpty();
        waitForTheArchive();
        assertThat(usesTheArchive(launcher)).isTrue();
    }

    @Test
    void anArchiveOrCacheOfAnotherUserIsNotUsed() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a file away");
        Path launcher = installedAndTrained();
        Path archive = cache().resolve(archives().get(0));
        UserPrincipal nobody = archive.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        UserPrincipal me = Files.getOwner(archive);

        Files.setOwner(archive, nobody);
        assertThat(usesTheArchive(launcher)).as("an archive of another user").isFalse();
        Files.setOwner(archive, me);
        Files.setOwner(cache(), nobody);
        assertThat(usesTheArchive(launcher)).as("in a directory of another user").isFalse();
        Files.setOwner(cache(), me);
        assertThat(usesTheArchive(launcher)).as("both mine again").isTrue();
    }

    /**
     * The JVM opens the archive by its path: whoever may rename a directory above the cache could
     * put an archive of their own in its place between the launcher's check and the JVM's open.
     * A sticky directory such as /tmp lets others add entries but not rename this user's.
     */
    @Test
    void anArchiveUnderADirectoryOthersMayWriteIsNeitherUsedNorTrainedInto() throws Exception {
        // Out of the way: a store in a directory others may write is warned about.
        env.put("TOKENCTL_DB", dir.resolve("store/tokens.db").toString());
        Path launcher = installedAndTrained();
        Path archive = cache().resolve(archives().get(0));
        Path parent = cache().getParent();
        for (Path above : List.of(parent, dir)) {
            for (String mode : List.of("rwxrwxrwx", "rwxrwx---", "rwx----w-")) {
                Files.setPosixFilePermissions(above, PosixFilePermissions.fromString(mode));
                assertThat(usesTheArchive(launcher)).as(above + " " + mode).isFalse();
            }
            Files.setPosixFilePermissions(above, PosixFilePermissions.fromString("rwx------"));
        }
        CompletionsTest.shell("chmod", "1777", parent.toString());
        assertThat(usesTheArchive(launcher)).as("under a sticky directory, as /tmp").isTrue();

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.delete(archive);
        assertThat(usesTheArchive(launcher)).isFalse();
        assertThat(archives()).as("no archive started under a directory anyone may write").isEmpty();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        LauncherIT.Run listed = run(launcher, "token", "list");
        assertThat(listed.code()).as(listed.toString()).isZero();
        waitForTheArchive();
        assertThat(usesTheArchive(launcher)).as("made once no one else may write there").isTrue();
    }

    @Test
    void anArchiveUnderADirectoryOfAnotherUserIsNotUsed() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a file away");
        Path launcher = installedAndTrained();
        UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        UserPrincipal me = Files.getOwner(dir);
        for (Path above : List.of(cache().getParent(), dir)) {
            Files.setOwner(above, nobody);
            assertThat(usesTheArchive(launcher)).as(above + " of another user").isFalse();
            Files.setOwner(above, me);
        }
        assertThat(usesTheArchive(launcher)).as("all mine again").isTrue();
    }

    /**
     * A cache reached through a symbolic link (~/.cache kept on another disk) is checked, and
     * used, where the link leads, and so is refused when others may write there.
     */
    @Test
    void aCacheThroughALinkIsCheckedWhereTheLinkLeads() throws Exception {
        Path launcher = installedAndTrained();
        Path elsewhere = Files.createDirectories(dir.resolve("disk/private"));
        Files.setPosixFilePermissions(elsewhere.getParent(), PosixFilePermissions.fromString("rwx------"));
        Files.move(cache().getParent(), elsewhere.resolve("cache"));
        Files.createSymbolicLink(dir.resolve("cache"), elsewhere.resolve("cache"));
        assertThat(usesTheArchive(launcher)).as("through the link").isTrue();
        Files.setPosixFilePermissions(elsewhere.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(usesTheArchive(launcher)).as("where others may write").isFalse();
    }

    /**
     * An installed copy makes each larger archive once a command needs it a second time, beside
     * the first, and removes the archives of other builds and JDKs when it makes one.
     */
    @Test
    void eachKindOfCommandGetsItsOwnArchiveOnItsSecondRun() throws Exception {
        Path launcher = installedAndTrained();
        List<String> first = archives();
        assertThat(first).singleElement().asString().endsWith("-text.jsa");
        Path stale = Files.createDirectories(cache().resolve("cds-0.9-20250101000000_17.0.1_usr_lib_jvm_old-text.jsa.lock"));
        Files.writeString(cache().resolve("cds-0.9-20250101000000_17.0.1_usr_lib_jvm_old-json.jsa"), "an old archive");
        String[][] commands = {{"token", "list", "-o", "json"}, {"serve", "--help"}};
        for (int made = 0; made < commands.length; made++) {
            for (int run = 1; run <= 2; run++) {
                LauncherIT.Run ran = run(launcher, commands[made]);
                assertThat(ran.code()).as(ran.toString()).isZero();
            }
            int archives = made + 2;
            for (int i = 0; i < 240 && !(archives().size() == archives && archives().stream().allMatch(n -> n.endsWith(".jsa"))); i++) {
                Thread.sleep(250);
            }
        }
        assertThat(archives()).hasSize(3).contains(first.get(0)).anyMatch(name -> name.endsWith("-json.jsa"))
                .anyMatch(name -> name.endsWith("-all.jsa")).noneMatch(name -> name.contains("old"));
        assertThat(stale).doesNotExist();
    }

    /** The archive's name must not depend on how the time or the jars' dates are shown. */
    @Test
    void oneArchiveServesEveryTimeZoneAndLocale() throws Exception {
        env.put("TZ", "UTC");
        env.put("LANG", "C.UTF-8");
        Path launcher = installedAndTrained();
        List<String> archive = archives();
        for (String[] zoneAndLocale : new String[][] {{"Asia/Tokyo", "C"}, {"America/New_York", "en_US.UTF-8"},
            {"Europe/Paris", "fr_FR.UTF-8"}}) {
            env.put("TZ", zoneAndLocale[0]);
            env.put("LANG", zoneAndLocale[1]);
            assertThat(usesTheArchive(launcher)).as(String.join(" ", zoneAndLocale)).isTrue();
            assertThat(archives()).as(String.join(" ", zoneAndLocale)).isEqualTo(archive);
        }
    }
}
