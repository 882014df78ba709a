package dev.tokenctl.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenctl.app.Application;
import dev.tokenctl.core.Store;
import dev.tokenctl.testing.LocalStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's applications: a kept one is lent again up to the pool's size; others are closed. */
class PoolTest {
    @TempDir
    Path dir;
    private final List<Application> made = new ArrayList<>();

    private Application application() {
        Application application = new LocalStore(dir).application();
        made.add(application);
        return application;
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
}
