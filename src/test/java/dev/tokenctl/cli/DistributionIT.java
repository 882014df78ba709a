package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's path: unpack the archive anywhere, put bin/ on PATH, enable completion in bash
 * and zsh, and tab-complete permission names.
 */
class DistributionIT {
    static final Path ARCHIVE = LauncherIT.LAUNCHER.getParent().resolve("tokenctl-0.1.0.tar.gz");

    @TempDir
    Path dir;

    /**
     * Whatever the umask of the machine that built it: only the owner may write, as the
     * completions are sourced by users' shells and the jars are code.
     */
    @Test
    void everyEntryIsWritableByItsOwnerAlone() throws Exception {
        List<String> entries = CompletionsTest.shell("tar", "tvzf", ARCHIVE.toString()).lines().toList();
        assertThat(entries).hasSizeGreaterThan(20);
        for (String entry : entries) {
            String mode = entry.substring(0, entry.indexOf(' '));
            String name = entry.substring(entry.lastIndexOf(' ') + 1);
            String expected = name.endsWith("/") ? "drwxr-xr-x" : name.endsWith("/bin/tokenctl") ? "-rwxr-xr-x" : "-rw-r--r--";
            assertThat(mode).as(entry).isEqualTo(expected);
        }
    }

    @Test
    void unpackedArchiveWorksFromPathWithCompletionAndManPages() throws Exception {
        assertThat(ARCHIVE).exists();
        CompletionsTest.shell("tar", "xzf", ARCHIVE.toString(), "-C", dir.toString());
        Path home = dir.resolve("tokenctl-0.1.0");
        for (String entry : new String[] {"bin/tokenctl", "lib/tokenctl.jar", "completions/tokenctl.bash",
            "completions/_tokenctl", "man/man1/tokenctl.1", "man/man1/tokenctl-token-create.1", "README.md", "LICENSE",
            "lib/native/Linux/x86_64/libsqlitejdbc.so", "lib/native/Linux/aarch64/libsqlitejdbc.so"}) {
            assertThat(home.resolve(entry)).as(entry).exists();
        }
        assertThat(Files.isExecutable(home.resolve("bin/tokenctl"))).isTrue();

        Map<String, String> env = Map.of("PATH", home.resolve("bin") + ":" + System.getenv("PATH"),
                "TOKENCTL_DB", dir.resolve("tokens.db").toString(), "HOME", dir.toString(),
                "XDG_CACHE_HOME", dir.resolve("cache").toString());
        LauncherIT.Run version = LauncherIT.run(Path.of("/bin/sh"), dir, env, "", "-c", "tokenctl --version");
        assertThat(version.out()).isEqualTo("tokenctl 0.1.0\n");
        LauncherIT.Run created = LauncherIT.run(Path.of("/bin/sh"), Path.of("/"), env, "", "-c",
                "tokenctl token create --name d --permission ReadHealthCheck --expires-in 1h");
        assertThat(created.code()).as(created.toString()).isZero();

        // The first run of an installed copy makes its class-data-sharing archive in the background.
        Path archive = null;
        for (int i = 0; i < 240 && archive == null; i++) {
            Thread.sleep(500);
            try (var files = Files.list(Files.createDirectories(dir.resolve("cache/tokenctl")))) {
                archive = files.filter(p -> p.toString().endsWith(".jsa")).findFirst().orElse(null);
            }
        }
        assertThat(archive).as("archive made in the user's cache").isNotNull();
        assertThat(dir.resolve("cache/tokenctl/sqlite-native")).as("the library beside the jars, not one cached").doesNotExist();
        LauncherIT.Run shared = LauncherIT.run(Path.of("/bin/sh"), dir, env, "", "-c",
                "TOKENCTL_JAVA_OPTS=-Xlog:class+load tokenctl token list");
        assertThat(shared.out()).contains("dev.tokenctl.startup.Main source: shared objects file");

        String bash = CompletionsTest.bashComplete(home.resolve("completions/tokenctl.bash"),
                "tokenctl token create --permission ");
        assertThat(bash.lines()).hasSize(16).contains("ReadHealthCheck", "ManageOrganizationLinks");

        String zsh = CompletionsTest.zshComplete(home.resolve("completions"), home.resolve("bin"),
                "tokenctl token create --permission ", "View organizations");
        assertThat(zsh).contains("ReadHealthCheck", "Read cluster health check", "ManageOrganizationLinks");

        String man = CompletionsTest.shell("sh", "-c", "MANWIDTH=100 man -l \"$0\" 2>/dev/null | col -b || true",
                home.resolve("man/man1/tokenctl-token-create.1").toString());
        if (!man.isBlank()) {
            assertThat(man).contains("--secret-out", "EXAMPLES");
        }
    }
}
