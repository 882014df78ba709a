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
        AuditFollower follower = new AuditFollower(store, null);
        follower.start(null, this::give);
        assertThat(taken()).containsExactly("old-1", "old-2");
        follower.poll(this::give);
        assertThat(taken()).isEmpty();
        audit("tctl_a", "new-1");
        audit(null, "new-2");
        follower.poll(this::give);
        follower.poll(this::give);
        assertThat(taken()).containsExactly("new-1", "new-2");

        AuditFollower one = new AuditFollower(store, "tctl_a");
        one.start(null, this::give);
        assertThat(taken()).containsExactly("old-1", "new-1");
        audit("tctl_b", "b");
        audit("tctl_a", "a");
        one.poll(this::give);
        assertThat(taken()).as("that token's alone").containsExactly("a");
    }

    @Test
    void aNumberCommittedLateIsGivenWhenItComes() throws Exception {
        AuditFollower follower = new AuditFollower(store, null);
        follower.start(null, this::give);
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
        AuditFollower follower = new AuditFollower(store, null);
        follower.start(null, this::give);
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
}
