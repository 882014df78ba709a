package dev.tokenctl.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenctl.app.Application;
import dev.tokenctl.core.Store;
import dev.tokenctl.core.TokenctlException;
import dev.tokenctl.testing.LocalStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's applications: a kept one is lent again up to the pool's size while its store is
 * the file the path names; others are closed.
 */
class PoolTest {
    @TempDir
    Path dir;
    private final List<Application> made = new ArrayList<>();

    private Application application() {
        Application application = new LocalStore(dir).application();
        made.add(application);
        return application;
    }

    /** An application as the server makes one: it never creates the store. */
    private Application serverApplication() {
        Application application = application();
        application.existingOnly();
        return application;
    }

    /** A store file elsewhere holding one token, named so, as a backup would; returns the token's id. */
    private String backupWith(String name) {
        return new LocalStore(dir.resolve("backup")).newTokenId(name);
    }

    /** Renames the backup's file over the store's, as {@code mv} does. */
    private void restoreBackup() throws IOException {
        Files.move(dir.resolve("backup").resolve("tokens.db"), dir.resolve("tokens.db"),
                StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static boolean open(Store store) {
        try {
            store.policy();
            return true;
        } catch (RuntimeException closed) {
            return false;
        }
    }

    @Test
    void aKeptApplicationIsLentAgainAndOthersAreClosed() {
        Pool pool = new Pool(this::application, 1);
        Pool.Lease first = pool.lease();
        Pool.Lease second = pool.lease();
        assertThat(second.application()).isNotSameAs(first.application());
        Store firstStore = first.application().store();
        Store secondStore = second.application().store();
        first.keep();
        first.close();
        second.keep();
        second.close();
        assertThat(open(firstStore)).as("kept").isTrue();
        assertThat(open(secondStore)).as("beyond the size: closed").isFalse();
        Pool.Lease again = pool.lease();
        assertThat(again.application()).isSameAs(first.application());
        assertThat(made).hasSize(2);
        again.close();
        assertThat(open(firstStore)).as("not kept: closed").isFalse();
        assertThat(pool.lease().application()).as("a new one after").isNotSameAs(first.application());

        Pool.Lease last = pool.lease();
        Store lastStore = last.application().store();
        last.keep();
        last.close();
        pool.close();
        assertThat(open(lastStore)).as("closed with the pool").isFalse();
    }

    @Test
    void aStoreIsLentAgainUntilAnotherFileIsRenamedOverIt() throws IOException {
        LocalStore local = new LocalStore(dir);
        String old = local.newTokenId("old");
        String restored = backupWith("restored");
        Pool pool = new Pool(this::serverApplication, 2);
        Store first = null;
        for (int i = 0; i < 3; i++) {
            try (Pool.Lease lease = pool.lease()) {
                assertThat(lease.application().store().token(old)).isPresent();
                first = lease.application().store();
                lease.keep();
            }
        }
        assertThat(made).as("one connection while the file stays").hasSize(1);

        restoreBackup();
        try (Pool.Lease lease = pool.lease()) {
            Store store = lease.application().store();
            assertThat(store.token(restored)).as("the file renamed over the path").isPresent();
            assertThat(store.token(old)).isEmpty();
            lease.keep();
        }
        assertThat(made).hasSize(2);
        assertThat(open(first)).as("the replaced file's connection closed").isFalse();
        local.tokenctl("token", "revoke", "restored");
        try (Pool.Lease lease = pool.lease()) {
            assertThat(lease.application().store().token(restored).orElseThrow().revokedAt()).isNotNull();
            lease.keep();
        }
        assertThat(made).as("the new file's connection lent again").hasSize(2);
        pool.close();
    }

    @Test
    void aDeletedStoreFailsEveryLeaseWithoutBeingMadeAgainUntilItIsBack() throws IOException {
        String gone = new LocalStore(dir).newTokenId("gone");
        String restored = backupWith("restored");
        Pool pool = new Pool(this::serverApplication, 2);
        Store first;
        try (Pool.Lease lease = pool.lease()) {
            first = lease.application().store();
            assertThat(first.token(gone)).isPresent();
            lease.keep();
        }

        Files.delete(dir.resolve("tokens.db"));
        for (int i = 0; i < 2; i++) {
            try (Pool.Lease lease = pool.lease()) {
                assertThatThrownBy(() -> lease.application().store())
                        .isInstanceOfSatisfying(TokenctlException.class,
                                e -> assertThat(e.kind()).isEqualTo(TokenctlException.Kind.STORAGE))
                        .hasMessage("store file " + dir.resolve("tokens.db")
                                + " does not exist (put the store back there, or point --db or TOKENCTL_DB at it)");
            }
        }
        assertThat(open(first)).as("the deleted file's connection closed").isFalse();
        assertThat(dir.resolve("tokens.db")).as("no new store in its place").doesNotExist();

        restoreBackup();
        try (Pool.Lease lease = pool.lease()) {
            Store store = lease.application().store();
            assertThat(store.token(restored)).isPresent();
            assertThat(store.token(gone)).isEmpty();
            lease.keep();
        }
        pool.close();
    }

    @Test
    void everyConnectionToAReplacedFileIsClosedOnceTheLeasesOutComeBackBeforeANewOneOpens() throws Exception {
        new LocalStore(dir).newTokenId("old");
        String restored = backupWith("restored");
        Pool pool = new Pool(this::serverApplication, 3);
        List<Pool.Lease> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            out.add(pool.lease());
            out.get(i).application().store();
        }
        List<Store> old = made.stream().map(Application::store).toList();
        Pool.Lease held = out.remove(2);
        for (Pool.Lease lease : out) {
            lease.keep();
            lease.close();
        }
        restoreBackup();
        java.util.concurrent.CompletableFuture<String> next = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (Pool.Lease lease = pool.lease()) {
                lease.keep();
                return lease.application().store().token(restored).orElseThrow().name();
            }
        });
        Thread.sleep(300);
        assertThat(next).as("waits for the lease still out").isNotDone();
        held.keep();
        held.close();
        assertThat(next.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("restored");
        assertThat(old).as("every connection to the replaced file closed").noneMatch(PoolTest::open);

        java.util.concurrent.CompletableFuture<Boolean> other = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (Pool.Lease lease = pool.lease()) {
                return lease.application().store().token(restored).isPresent();
            }
        });
        assertThat(other.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("other threads lease again after").isTrue();
        pool.close();
    }

    @Test
    void aLeaseThatCouldNotBeMadeHoldsNothingBack() throws Exception {
        new LocalStore(dir).newTokenId("old");
        backupWith("restored");
        java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Pool pool = new Pool(() -> {
            if (failing.getAndSet(false)) {
                throw new IllegalStateException("store away");
            }
            return serverApplication();
        }, 2);
        assertThatThrownBy(pool::lease).hasMessage("store away");
        try (Pool.Lease lease = pool.lease()) {
            lease.application().store();
            lease.keep();
        }
        restoreBackup();
        java.util.concurrent.CompletableFuture<Boolean> replaced = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (Pool.Lease lease = pool.lease()) {
                return lease.application().store().policy() != null;
            }
        });
        assertThat(replaced.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("no lease left held by the failure").isTrue();
        pool.close();
    }
}
