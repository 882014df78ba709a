package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's walkthrough as a new user runs it: the shell blocks of "Install", "A five-minute
 * tour", "Services that run around the clock", "Policy and IP filters" and "Scripting", in their
 * order, in one bash session with a scratch HOME (so the default store), the archive that the
 * build made unpacked as README says and on PATH. Each command must exit 0, unless README marks
 * it with a comment saying {@code exit N}; so the walkthrough cannot drift from the tool.
 */
class ReadmeIT {
    static final List<String> SECTIONS = List.of("## Install", "## A five-minute tour", "## Services that run around the clock",
            "## Policy and IP filters", "## Scripting");
    private static final Pattern EXPECTED = Pattern.compile("\\s#.*\\bexit (\\d+)\\b");

    @TempDir
    Path dir;

    @Test
    void theWalkthroughRunsTopToBottomAsWritten() throws Exception {
        String script = script(Files.readString(Path.of("README.md")), SECTIONS);
        Path work = Files.createDirectories(dir.resolve("work"));
        // README's paths are the project's: target/ is where the build leaves the archive.
        Files.createSymbolicLink(work.resolve("target"), LauncherIT.LAUNCHER.getParent());
        Path file = dir.resolve("readme.sh");
        Files.writeString(file, script);
        // A session of its own, so that what the walkthrough leaves running (a follower) ends with it.
        ProcessBuilder builder = new ProcessBuilder("setsid", "bash", "--noprofile", "--norc", file.toString())
                .directory(work.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().put("LANG", "C.UTF-8");
        Process bash = builder.start();
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
            try {
                return bash.getInputStream().readAllBytes();
            } catch (java.io.IOException e) {
                return e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        boolean ended = bash.waitFor(5, TimeUnit.MINUTES);
        new ProcessBuilder("pkill", "-KILL", "-s", Long.toString(bash.pid())).start().waitFor();
        String printed = new String(output.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        assertThat(ended).as("ended within 5 minutes:\n%s", printed).isTrue();
        assertThat(bash.exitValue()).as("README's walkthrough:\n%s\n--- output:\n%s", script, printed).isZero();
    }

    @Test
    void theScriptChecksEachCommandsExitAndKeepsItForTheNext() {
        String script = script("## Install\n```sh\nfalse   # exit 1\ntrue && \\\n  echo ok\n```\n### Other\n```sh\nnot run\n```\n"
                + "## Elsewhere\n```sh\nnot run either\n```\n", List.of("## Install"));
        assertThat(script).contains("false   # exit 1\n__rc=$?; [ \"$__rc\" = 1 ] ||", "true && echo ok\n__rc=$?; [ \"$__rc\" = 0 ] ||",
                "(exit $__rc)").doesNotContain("not run");
    }

    /**
     * The commands of README's walkthrough as one bash script: after each, its exit status is
     * compared with the one expected, then set again for the next line to read ({@code case $?}).
     */
    static String script(String readme, List<String> sections) {
        StringBuilder script = new StringBuilder();
        for (String heading : sections) {
            int start = readme.indexOf("\n" + heading + "\n");
            if (start < 0) {
                start = readme.startsWith(heading + "\n") ? 0 : -1;
            }
            assertThat(start).as("README has " + heading).isNotNegative();
            // To the next heading of any level; a comment in a block is "# ", never "## ".
            int end = readme.length();
            for (String next : List.of("\n## ", "\n### ")) {
                int at = readme.indexOf(next, start + heading.length() + 1);
                end = at < 0 ? end : Math.min(end, at);
            }
            String section = readme.substring(start, end);
            Matcher block = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL).matcher(section);
            while (block.find()) {
                for (String command : commands(block.group(1))) {
                    Matcher expected = EXPECTED.matcher(command);
                    String code = expected.find() ? expected.group(1) : "0";
                    script.append(command).append('\n')
                            .append("__rc=$?; [ \"$__rc\" = ").append(code).append(" ] || { printf 'README: exit %s, not ")
                            .append(code).append(": %s\\n' \"$__rc\" ").append(quoted(command))
                            .append(" >&2; exit 100; }; (exit $__rc)\n");
                }
            }
        }
        return script.append("exit 0\n").toString();
    }

    /** A block's commands: comment lines and blank lines left out, continued lines joined. */
    private static List<String> commands(String block) {
        List<String> commands = new ArrayList<>();
        StringBuilder command = new StringBuilder();
        for (String line : block.split("\n")) {
            if (command.length() == 0 && (line.isBlank() || line.strip().startsWith("#"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                command.append(line, 0, line.length() - 1);
                continue;
            }
            commands.add(command.append(line.strip().isEmpty() ? "" : (command.length() == 0 ? line : line.strip())).toString());
            command.setLength(0);
        }
        return commands;
    }

    private static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
