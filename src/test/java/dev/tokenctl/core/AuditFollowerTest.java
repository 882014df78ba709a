package dev.tokenctl.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenctl.app.Application;
import dev.tokenctl.testing.LocalStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Following the audit as other processes append to it, on a SQLite store: each event once, in
 * order, and a number not committed yet waited for until it comes or for GAP_NANOS. A late
 * commit is made by taking a row out and putting it back with its number.
 */
class AuditFollowerTest {
    @TempDir
    Path dir;
    private Application application;
    private Store store;
    private final List<String> given = new ArrayList<>();

    @BeforeEach
    void setUp() {
        application = new LocalStore(dir).application();
        store = application.store();
    }

    @AfterEach
    void tearDown() {
        application.close();
    }

    private void audit(String tokenId, String details) {
        store.audit(new AuditEvent(Instant.parse("2026-12-02T10:00:00Z"), "tester", "test", tokenId, details, 0));
    }

    private void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tokens.db"));
             Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private void give(AuditEvent event) {
        given.add(event.details());
    }

    private List<String> taken() {
        List<String> all = new ArrayList<>(given);
        given.clear();
        return all;
    }

    @Test
    void startGivesWhatIsThereAndEachPollWhatCameSinceEachOnce() {
        audit("tctl_a", "old-1");
        audit("tctl_b", "old-2");
        AuditFollower follower = new AuditFollower(store, null, null, 0);
        follower.start(this::give, 0);
        assertThat(taken()).containsExactly("old-1", "old-2");
        follower.poll(this::give, 0);
        assertThat(taken()).isEmpty();
        audit("tctl_a", "new-1");
        audit(null, "new-2");
        follower.poll(this::give, 0);
        follower.poll(this::give, 0);
        assertThat(taken()).containsExactly("new-1", "new-2");

        AuditFollower one = new AuditFollower(store, "tctl_a", null, 0);
        one.start(this::give, 0);
        assertThat(taken()).containsExactly("old-1", "new-1");
        audit("tctl_b", "b");
        audit("tctl_a", "a");
        one.poll(this::give, 0);
        assertThat(taken()).as("that token's alone").containsExactly("a");
    }

    @Test
    void aNumberCommittedLateIsGivenWhenItComes() throws Exception {
        AuditFollower follower = new AuditFollower(store, null, null, 0);
        follower.start(this::give, 0);
        audit("tctl_a", "e1");
        audit("tctl_a", "e2");
        audit("tctl_a", "e3");
        long e2 = store.lastAuditSeq() - 1;
        sql("DELETE FROM audit WHERE seq = " + e2);
        long t = 1_000_000_000_000L;
        follower.poll(this::give, t);
        assertThat(taken()).containsExactly("e1", "e3");
        sql("INSERT INTO audit VALUES (" + e2 + ", 0, 'tester', 'test', 'tctl_a', 'e2')");
        audit("tctl_a", "e4");
        follower.poll(this::give, t + AuditFollower.GAP_NANOS - 1);
        assertThat(taken()).as("within the wait").containsExactly("e2", "e4");
        follower.poll(this::give, t + AuditFollower.GAP_NANOS * 2);
        assertThat(taken()).as("each once").isEmpty();
    }

    @Test
    void aNumberThatNeverComesIsGivenUpAfterTheWait() throws Exception {
        AuditFollower follower = new AuditFollower(store, null, null, 0);
        follower.start(this::give, 0);
        audit("tctl_a", "e1");
        audit("tctl_a", "e2");
        long e1 = store.lastAuditSeq() - 1;
        sql("DELETE FROM audit WHERE seq = " + e1);
        long t = 5_000_000_000L;
        follower.poll(this::give, t);
        assertThat(taken()).containsExactly("e2");
        follower.poll(this::give, t + AuditFollower.GAP_NANOS - 1);
        follower.poll(this::give, t + AuditFollower.GAP_NANOS);
        assertThat(taken()).isEmpty();
        sql("INSERT INTO audit VALUES (" + e1 + ", 0, 'tester', 'test', 'tctl_a', 'e1')");
        audit("tctl_a", "e3");
        follower.poll(this::give, t + AuditFollower.GAP_NANOS + 1);
        assertThat(taken()).as("given up at the end of the wait").containsExactly("e3");
    }

    private long audit(String at, String tokenId, String details) {
        store.audit(new AuditEvent(Instant.parse(at), "tester", "test", tokenId, details, 0));
        return store.lastAuditSeq();
    }

    private List<String> listed(Instant since, long after, String tokenId) {
        List<String> listed = new ArrayList<>();
        application.tokens().audit(since, after, tokenId, e -> listed.add(e.details()));
        return listed;
    }

    @Test
    void listingGivesTheOldestFirstOrAfterANumberByNumber() {
        audit("2026-12-02T10:00:00Z", "tctl_a", "first");
        long second = audit("2026-12-02T09:00:00Z", "tctl_a", "second, stamped earlier");
        audit("2026-12-02T11:00:00Z", "tctl_b", "third");
        audit("2026-12-02T12:00:00Z", "tctl_a", "fourth");
        assertThat(listed(null, 0, null)).containsExactly("second, stamped earlier", "first", "third", "fourth");
        assertThat(listed(null, second - 1, null)).as("by number")
                .containsExactly("second, stamped earlier", "third", "fourth");
        assertThat(listed(null, second, null)).containsExactly("third", "fourth");
        assertThat(listed(null, second, "tctl_a")).containsExactly("fourth");
        assertThat(listed(Instant.parse("2026-12-02T11:00:00Z"), second - 1, null)).as("at or after since")
                .containsExactly("third", "fourth");
        assertThat(listed(Instant.parse("2026-12-02T11:00:00Z"), 0, null)).containsExactly("third", "fourth");
        assertThat(listed(null, second + 2, null)).isEmpty();
    }

    @Test
    void afterANumberAFollowerStartsWithTheEventsAfterItByNumberThenFollows() {
        audit("2026-12-02T10:00:00Z", "tctl_a", "e1");
        long e2 = audit("2026-12-02T09:00:00Z", "tctl_a", "e2");
        audit("2026-12-02T11:00:00Z", "tctl_b", "e3");
        audit("2026-12-02T08:00:00Z", "tctl_a", "e4");
        AuditFollower all = new AuditFollower(store, null, null, e2 - 1);
        all.start(this::give, 0);
        assertThat(taken()).containsExactly("e2", "e3", "e4");
        AuditFollower since = new AuditFollower(store, "tctl_a", Instant.parse("2026-12-02T09:00:00Z"), e2 - 1);
        since.start(this::give, 0);
        assertThat(taken()).as("at or after since, that token's").containsExactly("e2");
        audit("2026-12-01T00:00:00Z", "tctl_a", "e5, stamped before since");
        audit("2026-12-02T12:00:00Z", "tctl_b", "e6");
        all.poll(this::give, 0);
        assertThat(taken()).containsExactly("e5, stamped before since", "e6");
        since.poll(this::give, 0);
        assertThat(taken()).as("since is for the start alone").containsExactly("e5, stamped before since");
    }

    /** The store of the test, failing while {@link #failure} is set: at once, or after {@link #rowsBeforeFailing} rows. */
    private final java.util.concurrent.atomic.AtomicReference<TokenctlException> failure =
            new java.util.concurrent.atomic.AtomicReference<>();
    private int rowsBeforeFailing;

    private Store failing() {
        return (Store) java.lang.reflect.Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    TokenctlException e = failure.get();
                    if (e != null && method.getName().equals("forEachAuditAfter") && rowsBeforeFailing > 0) {
                        int[] left = {rowsBeforeFailing};
                        @SuppressWarnings("unchecked")
                        java.util.function.Consumer<AuditEvent> sink = (java.util.function.Consumer<AuditEvent>) args[1];
                        store.forEachAuditAfter((Long) args[0], row -> {
                            if (left[0]-- == 0) {
                                throw e;
                            }
                            sink.accept(row);
                        });
                        return null;
                    }
                    if (e != null) {
                        throw e;
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException thrown) {
                        throw thrown.getCause();
                    }
                });
    }

    /** Opens the store again: fails while the store does, as opening a store on a server that is down does. */
    private Store reopen() {
        TokenctlException e = failure.get();
        if (e != null) {
            throw e;
        }
        return failing();
    }

    /** Time that moves by each pause, and at each pause one step of the test, until there are none. */
    private static final class Steps implements AuditFollower.Pacer {
        final List<java.time.Duration> pauses = new ArrayList<>();
        final java.util.ArrayDeque<Runnable> steps = new java.util.ArrayDeque<>();
        long nanos = 7_000_000_000L;

        Steps then(Runnable step) {
            steps.add(step);
            return this;
        }

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public boolean pause(java.time.Duration time) {
            pauses.add(time);
            nanos += time.toNanos();
            Runnable step = steps.poll();
            if (step == null) {
                return false;
            }
            step.run();
            return true;
        }
    }

    private static TokenctlException storage(String message) {
        return new TokenctlException(TokenctlException.Kind.STORAGE, message);
    }

    @Test
    void aStoreThatFailsIsReconnectedToWithBackOffAndNoEventIsLostOrGivenTwice() throws Exception {
        audit("tctl_a", "e1");
        List<String> warnings = new ArrayList<>();
        int[] reconnects = {0};
        Runnable nothing = () -> { };
        Steps steps = new Steps()
                .then(() -> audit("tctl_a", "e2"))
                .then(() -> failure.set(storage("lost the connection to PostgreSQL")))
                .then(() -> audit("tctl_b", "e3, written while the follower was away"))
                .then(nothing).then(nothing).then(nothing).then(nothing)
                .then(() -> failure.set(null))
                .then(() -> audit("tctl_a", "e4"));
        new AuditFollower(failing(), null, null, 0).follow(this::give, () -> {
            reconnects[0]++;
            return reopen();
        }, steps, warnings::add);
        assertThat(taken()).containsExactly("e1", "e2", "e3, written while the follower was away", "e4");
        assertThat(steps.pauses).extracting(java.time.Duration::toMillis)
                .containsExactly(200L, 200L, 500L, 1000L, 2000L, 4000L, 5000L, 5000L, 200L, 200L);
        assertThat(reconnects[0]).as("at each wait after the loss").isEqualTo(6);
        assertThat(warnings).containsExactly("lost the store (lost the connection to PostgreSQL); reconnecting",
                "reconnected to the store; following on after event " + (store.lastAuditSeq() - 2));
    }

    @Test
    void aStoreThatFailsInTheMiddleOfAReadGoesOnAfterTheLastEventGiven() throws Exception {
        List<String> warnings = new ArrayList<>();
        Steps steps = new Steps()
                .then(() -> {
                    audit("tctl_a", "e1");
                    audit("tctl_a", "e2");
                    audit("tctl_a", "e3");
                    rowsBeforeFailing = 2;
                    failure.set(storage("gone"));
                })
                .then(() -> failure.set(null))
                .then(() -> audit("tctl_a", "e4"));
        new AuditFollower(failing(), "tctl_a", null, 0).follow(this::give, this::reopen, steps, warnings::add);
        assertThat(taken()).containsExactly("e1", "e2", "e3", "e4");
        assertThat(warnings).containsExactly("lost the store (gone); reconnecting",
                "reconnected to the store; following on after event " + (store.lastAuditSeq() - 2));
        assertThat(steps.pauses).extracting(java.time.Duration::toMillis).containsExactly(200L, 500L, 200L, 200L);
    }

    @Test
    void aStoreLostAgainIsReportedAgainAndWaitedForFromTheFirstWait() throws Exception {
        List<String> warnings = new ArrayList<>();
        Steps steps = new Steps()
                .then(() -> failure.set(storage("down")))
                .then(() -> { })
                .then(() -> failure.set(null))
                .then(() -> audit("tctl_a", "e1"))
                .then(() -> failure.set(storage("down again")))
                .then(() -> failure.set(null));
        new AuditFollower(failing(), null, null, 0).follow(this::give, this::reopen, steps, warnings::add);
        assertThat(warnings).containsExactly("lost the store (down); reconnecting",
                "reconnected to the store; following on after event 0",
                "lost the store (down again); reconnecting",
                "reconnected to the store; following on after event " + store.lastAuditSeq());
        assertThat(steps.pauses).extracting(java.time.Duration::toMillis)
                .containsExactly(200L, 500L, 1000L, 200L, 200L, 500L, 200L);
        assertThat(taken()).containsExactly("e1");
    }

    @Test
    void aStoreThatOpensButCannotBeReadIsNotBackYet() throws Exception {
        List<String> warnings = new ArrayList<>();
        boolean[] readable = {false};
        Steps steps = new Steps()
                .then(() -> failure.set(storage("down")))
                .then(() -> { })
                .then(() -> readable[0] = true);
        new AuditFollower(failing(), null, null, 0).follow(this::give, () -> {
            failure.set(readable[0] ? null : storage("starting up"));
            return failing();
        }, steps, warnings::add);
        assertThat(warnings).containsExactly("lost the store (down); reconnecting",
                "reconnected to the store; following on after event 0");
        assertThat(steps.pauses).extracting(java.time.Duration::toMillis).containsExactly(200L, 500L, 1000L, 200L);
    }

    @Test
    void aStoreThatFailsAtTheStartOrWithAnotherKindOfErrorEndsFollowing() {
        failure.set(storage("no such store"));
        Steps steps = new Steps().then(() -> { });
        AuditFollower atStart = new AuditFollower(failing(), null, null, 0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> atStart.follow(this::give, this::failing, steps, w -> { }))
                .hasMessage("no such store");
        assertThat(steps.pauses).as("no wait").isEmpty();

        failure.set(null);
        AuditFollower follower = new AuditFollower(failing(), null, null, 0);
        Steps invalid = new Steps().then(() -> failure.set(TokenctlException.invalid("not a storage error")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> follower.follow(this::give, this::failing, invalid, w -> { }))
                .hasMessage("not a storage error");
    }
}
