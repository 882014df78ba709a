package dev.tokenctl.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenctl.app.Application;
import dev.tokenctl.cli.Context;
import dev.tokenctl.startup.Main;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a verifier's last uses reach the store: per 500 tokens, per second, and on flush. */
class StoreRecordsTest {
    @TempDir
    Path dir;
    private Map<String, String> env;

    @BeforeEach
    void setUp() {
        env = Map.of("TOKENCTL_DB", dir.resolve("tokens.db").toString(), "HOME", dir.toString());
    }

    private Application application() {
        Context context = new Context(env, Clock.systemUTC(), ZoneOffset.UTC, new ByteArrayInputStream(new byte[0]), false, "t");
        return new Application(context.environment(), warning -> { });
    }

    private String newTokenId(String name) {
        Context context = new Context(env, Clock.systemUTC(), ZoneOffset.UTC, new ByteArrayInputStream(new byte[0]), false, "t");
        StringWriter out = new StringWriter();
        assertThat(Main.run(context, new PrintWriter(out), new PrintWriter(new StringWriter()), "token", "create", "--name", name,
                "--permission", "ReadHealthCheck", "--no-expiry")).isZero();
        String token = out.toString().strip();
        return token.substring(0, token.indexOf('~'));
    }

    /** The last use another connection reads, or null. */
    private Instant lastUse(String id) {
        try (Application reader = application()) {
            return reader.store().token(id).orElseThrow().lastUsedAt();
        }
    }

    @Test
    void usesAreWrittenTogetherOnce500TokensArePending() {
        String first = newTokenId("first");
        String last = newTokenId("last");
        Instant at = Instant.parse("2026-12-02T10:00:00Z");
        try (Application application = application()) {
            StoreRecords records = new StoreRecords(application.session());
            records.used(first, at, "10.0.0.1");
            for (int i = 0; i < 498; i++) {
                records.used("tctl_unknown" + i, at, "10.0.0.1");
            }
            assertThat(lastUse(first)).as("499 pending").isNull();
            records.used(last, at, "10.0.0.1");
            assertThat(lastUse(first)).as("the 500th: all written").isEqualTo(at);
            assertThat(lastUse(last)).isEqualTo(at);
        }
    }

    @Test
    void usesAreWrittenASecondAfterTheLastWriteOrOnFlush() throws Exception {
        String early = newTokenId("early");
        String late = newTokenId("late");
        String flushed = newTokenId("flushed");
        Instant at = Instant.parse("2026-12-02T10:00:00Z");
        try (Application application = application()) {
            StoreRecords records = new StoreRecords(application.session());
            records.used(early, at, "10.0.0.1");
            assertThat(lastUse(early)).as("within the second").isNull();
            Thread.sleep(1100);
            records.used(late, at, "10.0.0.1");
            assertThat(lastUse(early)).as("a second later").isEqualTo(at);
            assertThat(lastUse(late)).isEqualTo(at);
            records.used(flushed, at, "10.0.0.1");
            assertThat(lastUse(flushed)).as("the clock started again at the write").isNull();
            records.flush();
            assertThat(lastUse(flushed)).isEqualTo(at);
        }
    }
}
