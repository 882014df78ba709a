package dev.tokenctl.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenctl.app.Application;
import dev.tokenctl.testing.LocalStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's background writer of last uses and denied checks: what it writes, when, and what it drops. */
class RecordWriterTest {
    @TempDir
    Path dir;
    private LocalStore local;
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() {
        local = new LocalStore(dir);
    }

    /** Polls {@code check} until it holds, for at most {@code seconds}; whether it did. */
    private static boolean within(int seconds, Supplier<Boolean> check) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (check.get()) {
                return true;
            }
            Thread.sleep(20);
        }
        return check.get();
    }

    @Test
    void usesAndDenialsAreWrittenSoonAfterTheyArrive() throws Exception {
        String id = local.newTokenId("gw");
        try (RecordWriter writer = new RecordWriter(new Pool(local::application, 2), new PrintWriter(err))) {
            writer.used(id, Instant.parse("2026-12-02T10:00:00Z"), "10.1.2.3");
            writer.flush();
            assertThat(within(3, () -> local.tokenctl("token", "show", "gw", "-o", "json").contains("\"10.1.2.3\"")))
                    .as("the last use, written without a flush from the request path").isTrue();
            writer.denied(id, "ip-denied from 10.9.9.9");
            assertThat(within(3, () -> local.tokenctl("audit", "list").contains("ip-denied from 10.9.9.9"))).isTrue();
            assertThat(writer.dropped()).isZero();
        }
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void eachBatchIsWrittenThroughOneKeptConnectionThatLeavesTheWriteAheadLogEmpty() throws Exception {
        String id = local.newTokenId("gw");
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        java.nio.file.Path log = dir.resolve("tokens.db-wal");
        try (Pool pool = new Pool(() -> {
            made.incrementAndGet();
            return local.application();
        }, 2); RecordWriter writer = new RecordWriter(pool, new PrintWriter(err))) {
            for (int hour = 10; hour < 12; hour++) {
                String address = "10.1.2." + hour;
                writer.used(id, Instant.parse("2026-12-02T" + hour + ":00:00Z"), address);
                assertThat(within(3, () -> local.tokenctl("token", "show", "gw", "-o", "json").contains(address))).isTrue();
                assertThat(within(3, () -> log.toFile().length() == 0)).as("the log emptied after the batch").isTrue();
            }
            assertThat(made.get()).as("one connection, kept for the next batch").isEqualTo(1);
        }
    }

    @Test
    void closeWritesWhatCameJustBeforeItAndAnIdleWriterClosesAtOnce() throws Exception {
        String id = local.newTokenId("gw");
        RecordWriter writer = new RecordWriter(new Pool(local::application, 2), new PrintWriter(err));
        writer.used(id, Instant.parse("2026-12-02T10:00:00Z"), "10.1.2.3");
        writer.denied(id, "ip-denied from 10.9.9.9");
        writer.close();
        assertThat(local.tokenctl("token", "show", "gw", "-o", "json")).contains("\"10.1.2.3\"");
        assertThat(local.tokenctl("audit", "list")).contains("ip-denied from 10.9.9.9");

        RecordWriter idle = new RecordWriter(new Pool(local::application, 2), new PrintWriter(err));
        Thread.sleep(100);  // waiting in its poll
        long start = System.nanoTime();
        idle.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not a poll's second").isLessThan(Duration.ofMillis(500));
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void theWritersStoreConnectionIsClosedWithIt() throws Exception {
        String id = local.newTokenId("gw");
        java.util.List<Application> made = new java.util.concurrent.CopyOnWriteArrayList<>();
        Supplier<Application> applications = () -> {
            Application application = local.application();
            made.add(application);
            return application;
        };
        dev.tokenctl.core.Store store;
        try (Pool pool = new Pool(applications, 2);
             RecordWriter writer = new RecordWriter(pool, new PrintWriter(err))) {
            writer.used(id, Instant.parse("2026-12-02T10:00:00Z"), "10.1.2.3");
            assertThat(within(3, () -> local.tokenctl("token", "show", "gw", "-o", "json").contains("\"10.1.2.3\""))).isTrue();
            assertThat(made).hasSize(1);
            store = made.get(0).store();  // open: the writer wrote through it
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(store::policy).as("closed with the writer and its pool")
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void aStoreThatIsAwayIsWarnedOfOnceAndWrittenToWhenItIsBack() throws Exception {
        String id = local.newTokenId("gw");
        AtomicInteger attempts = new AtomicInteger();
        Supplier<Application> flaky = () -> {
            if (attempts.incrementAndGet() <= 2) {
                throw new IllegalStateException("store away\u001b[2J");
            }
            return local.application();
        };
        try (RecordWriter writer = new RecordWriter(new Pool(flaky, 2), new PrintWriter(err))) {
            writer.used(id, Instant.parse("2026-12-02T10:00:00Z"), "10.0.0.1");  // taken while away: lost
            assertThat(within(5, () -> attempts.get() == 1)).as("tried").isTrue();
            writer.used(id, Instant.parse("2026-12-02T10:30:00Z"), "10.0.0.2");  // lost too
            writer.used(id, Instant.parse("2026-12-02T11:00:00Z"), "10.0.0.3");  // waits for the store
            assertThat(within(5, () -> local.tokenctl("token", "show", "gw", "-o", "json").contains("\"10.0.0.3\""))).isTrue();
            assertThat(attempts.get()).as("tried again for what waited").isEqualTo(3);
        }
        assertThat(err.toString()).isEqualTo(
                "tokenctl: warning: cannot record last uses and denied checks: store away\\u001b[2J\n");
    }

    @Test
    void aStoreThatStaysAwayIsTriedAgainTwiceASecondAtMost() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Supplier<Application> away = () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("away");
        };
        try (RecordWriter writer = new RecordWriter(new Pool(away, 2), new PrintWriter(err))) {
            for (int i = 0; i < 100; i++) {
                writer.used("tctl_x" + i, Instant.EPOCH, "10.0.0.1");
            }
            Thread.sleep(1200);
            assertThat(attempts.get()).as("a pause between attempts").isBetween(1, 4);
            writer.finishBy(System.nanoTime());
        }
        assertThat(err.toString()).hasLineCount(1);
    }

    @Test
    void recordsBeyondTheQueueAreDroppedAndCounted() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        Supplier<Application> slow = () -> {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return local.application();
        };
        local.tokenctl("policy", "show");
        try (RecordWriter writer = new RecordWriter(new Pool(slow, 2), new PrintWriter(err))) {
            for (int i = 0; i < 100_010; i++) {
                writer.used("tctl_unknown" + i, Instant.EPOCH, "10.0.0.1");
            }
            // The writer took the first one before it waited for the store, or not yet.
            assertThat(writer.dropped()).isBetween(9L, 10L);
            open.countDown();
        }
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void closeWaitsForTheStoreNoLongerThanTheDeadline() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Supplier<Application> hung = () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("gone");
        };
        for (long late : new long[] {300, -1000}) {
            RecordWriter writer = new RecordWriter(new Pool(hung, 2), new PrintWriter(err));
            writer.used("tctl_x", Instant.EPOCH, "10.0.0.1");
            long start = System.nanoTime();
            writer.finishBy(start + TimeUnit.MILLISECONDS.toNanos(late));
            writer.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("a deadline %d ms away", late).isLessThan(Duration.ofMillis(Math.max(late, 0) + 1500));
            if (late > 0) {
                assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(late - 50));
            }
        }
        never.countDown();
    }
}
