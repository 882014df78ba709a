package dev.tokenctl.cli;

import dev.tokenctl.testing.LocalStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * tokenctl run in the test's JVM, with the real clock, on the store an end-to-end test's
 * processes use: for commands that only prepare or change that store, where a launcher's start
 * for each would cost more than the checks themselves.
 */
final class InProcess {
    private InProcess() {
    }

    /** Runs a command, which must succeed, with {@code env} and HOME in {@code dir}; returns its output, stripped. */
    static String tokenctl(Path dir, Map<String, String> env, String... args) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("HOME", dir.toString());
        return LocalStore.tokenctl(new Context(all, Clock.systemUTC(), ZoneOffset.UTC, new ByteArrayInputStream(new byte[0]),
                false, "tester"), args);
    }
}
