package dev.tokenctl.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenctl.app.Application;
import dev.tokenctl.testing.LocalStore;
import dev.tokenctl.testing.MovedClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a verifier's last uses reach the store: per 500 tokens, per second, and on flush. */
class StoreRecordsTest {
    @TempDir
    Path dir;
    private LocalStore local;

    @BeforeEach
    void setUp() {
        local = new LocalStore(dir);
    }

    /** The last use another connection reads, or null. */
    private Instant lastUse(String id) {
        try (Application reader = local.application()) {
            return reader.store().token(id).orElseThrow().lastUsedAt();
        }
    }

    @Test
    void usesAreWrittenTogetherOnce500TokensArePending() {
        String first = local.newTokenId("first");
        String last = local.newTokenId("last");
        Instant at = Instant.parse("2026-12-02T10:00:00Z");
        try (Application application = local.application()) {
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
    void usesAreWrittenASecondAfterTheLastWriteOrOnFlush() {
        String early = local.newTokenId("early");
        String late = local.newTokenId("late");
        String flushed = local.newTokenId("flushed");
        Instant at = Instant.parse("2026-12-02T10:00:00Z");
        try (Application application = local.application()) {
            MovedClock clock = new MovedClock(at);
            StoreRecords records = new StoreRecords(new Session(application.store(), clock, "tester"));
            records.used(early, at, "10.0.0.1");
            assertThat(lastUse(early)).as("within the second").isNull();
            clock.move(Duration.ofMillis(1000));
            records.used(late, at, "10.0.0.1");
            assertThat(lastUse(early)).as("a second is not past yet").isNull();
            clock.move(Duration.ofMillis(1));
            records.used(late, at, "10.0.0.1");
            assertThat(lastUse(early)).as("a second later").isEqualTo(at);
            assertThat(lastUse(late)).isEqualTo(at);
            records.used(flushed, at, "10.0.0.1");
            assertThat(lastUse(flushed)).as("the clock started again at the write").isNull();
            records.flush();
            assertThat(lastUse(flushed)).isEqualTo(at);
            records.used(early, at.plusSeconds(120), "10.0.0.2");
            clock.move(Duration.ofSeconds(-5));
            records.used(late, at.plusSeconds(120), "10.0.0.2");
            assertThat(lastUse(early)).as("at once when the clock went back").isEqualTo(at.plusSeconds(120));
        }
    }
}
