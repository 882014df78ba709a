package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The completion scripts: checked in, up to date, valid, and working in real shells. */
class CompletionsTest {
    static final Path BASH = Path.of("completions/tokenctl.bash");
    static final Path ZSH = Path.of("completions/_tokenctl");

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"bash, completions/tokenctl.bash", "zsh, completions/_tokenctl"})
    void checkedInScriptsMatchWhatTheCodeGenerates(String shell, Path file) throws IOException {
        CliRunner.Result r = new CliRunner(dir).run("completion", shell);
        assertThat(r.code()).isZero();
        assertThat(Files.readString(file))
                .as(file + " is stale; regenerate it with: mvn -q package -DskipTests && target/tokenctl completion "
                        + shell + " > " + file)
                .isEqualTo(r.out());
    }

    /**
     * Whether a shell can be run. Where it is missing the test is skipped, so the suite runs on a
     * machine with only a JDK and Maven; in CI (CI=true), which installs the shells, it fails.
     */
    static void assumeShell(String shell) {
        boolean present = java.util.stream.Stream.of(System.getenv("PATH").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, shell)));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(shell + " is not installed; .ci/run should install it");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(present, shell + " is not installed");
    }

    static String shell(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @ParameterizedTest
    @CsvSource({"bash, completions/tokenctl.bash", "zsh, completions/_tokenctl"})
    void scriptsAreValidShell(String shell, Path file) throws Exception {
        assumeShell(shell);
        shell(shell, "-n", file.toString());
    }

    /** Calls bash's completion function the way readline does for the words given. */
    static String bashComplete(Path script, String line) throws Exception {
        String program = "source \"$0\"; read -ra COMP_WORDS <<< \"$1\"; [[ $1 == *' ' ]] && COMP_WORDS+=('');"
                + " COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _tokenctl; printf '%s\\n' \"${COMPREPLY[@]}\"";
        return shell("bash", "-c", program, script.toString(), line);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tokenctl to|token",
        "tokenctl token create --permission Read|ReadHealthCheck",
        "tokenctl token create --permission ReadHealthCheck,ListSub|ReadHealthCheck,ListSubdomains",
        "tokenctl token verify --require Patch|PatchGlobal",
        "tokenctl -o json token li|list",
        "tokenctl token list --output y|yaml",
        "tokenctl token list --status ex|expired",
        "tokenctl policy set --tokens-enabled f|false",
        "'tokenctl ipfilter '|add list show update remove test",
        "tokenctl token create --no-e|--no-expiry",
        "tokenctl token create --expires-in 7d --no-e|--no-expiry",
        "'tokenctl completion '|bash zsh",
        "'tokenctl store '|info copy",
    })
    void bashCompletesSubcommandsOptionsAndValues(String line, String expected) throws Exception {
        assertThat(bashComplete(BASH, line).strip().replace('\n', ' ')).as("[" + line + "]").isEqualTo(expected);
    }

    /**
     * A value after {@code --option=}, as the help spells it, in both ways bash can hand it over:
     * by default COMP_WORDBREAKS holds '=', so bash makes '=' a word of its own and replaces only
     * the value; without it the option, '=' and value are one word, replaced whole.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tokenctl token create --permission=Rea|ReadHealthCheck",
        "tokenctl token create --permission=ReadHealthCheck,ListSub|ReadHealthCheck,ListSubdomains",
        "tokenctl token verify --require=Patch|PatchGlobal",
        "tokenctl token list --output=|text wide json yaml",
        "tokenctl token list --output=y|yaml",
        "tokenctl -o=js|json",
        "tokenctl token list --status=ex|expired",
        "tokenctl --db=other.db -o=json token list --status=re|retiring revoked",
    })
    void bashCompletesAValueAfterEquals(String line, String values) throws Exception {
        String split = line.replace("=", " = ").stripTrailing();
        assertThat(bashComplete(BASH, split).strip().replace('\n', ' ')).as("[" + split + "]").isEqualTo(values);
        String option = line.substring(line.lastIndexOf(' ') + 1, line.lastIndexOf('=') + 1);
        String joined = java.util.Arrays.stream(values.split(" ")).map(v -> option + v)
                .collect(java.util.stream.Collectors.joining(" "));
        assertThat(bashComplete(BASH, line).strip().replace('\n', ' ')).as("[" + line + "]").isEqualTo(joined);
    }

    @org.junit.jupiter.api.Test
    void bashCompletesFilePathsForFileAndStoreOptions() throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), "");
        assertThat(bashComplete(BASH, "tokenctl policy set --file " + dir + "/pol")).isEqualTo(dir + "/policy.yaml\n");
        Files.writeString(dir.resolve("tokens.db"), "");
        assertThat(bashComplete(BASH, "tokenctl token list --db " + dir + "/tok")).isEqualTo(dir + "/tokens.db\n");
        assertThat(bashComplete(BASH, "tokenctl token list --db = " + dir + "/tok")).isEqualTo(dir + "/tokens.db\n");
        assertThat(bashComplete(BASH, "tokenctl token list --db=" + dir + "/tok")).isEqualTo("--db=" + dir + "/tokens.db\n");
        assertThat(bashComplete(BASH, "tokenctl store copy --to " + dir + "/tok")).isEqualTo(dir + "/tokens.db\n");
    }

    /** Types the line and a TAB into an interactive zsh (through zpty) and returns the screen text. */
    static String zshComplete(Path completionsDir, Path binDir, String line, String waitFor) throws Exception {
        assumeShell("zsh");
        Path driver = Path.of("src/test/resources/zsh-complete.zsh");
        return shell("zsh", "-f", driver.toString(), completionsDir.toAbsolutePath().toString(),
                binDir.toAbsolutePath().toString(), line, waitFor);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tokenctl token create --permission |View organizations",
        "tokenctl token create --permission Read|ReadHealthCheck,",
        "tokenctl to|'token '",
        "'tokenctl token '|revoke",
        "tokenctl token create --permission Man|ManageOrganizationLinks",
        "tokenctl token create --permission=Rea|--permission=ReadHealthCheck,",
        "tokenctl token create --permission=ReadHealthCheck,ListSub|--permission=ReadHealthCheck,ListSubdomains,",
        "tokenctl token list --output=y|--output=yaml ",
        "tokenctl -o=js|-o=json ",
        "tokenctl token list --status=ex|--status=expired ",
    })
    void zshCompletesWithDescriptions(String line, String expected) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("tokenctl"), "#!/bin/sh\n");
        bin.resolve("tokenctl").toFile().setExecutable(true);
        String screen = zshComplete(Path.of("completions"), bin, line, expected);
        assertThat(screen.replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "")).contains(expected);
        if (line.endsWith("--permission ")) {
            assertThat(screen).contains("Read cluster health check", "Change bucket storage");
        }
    }
}
