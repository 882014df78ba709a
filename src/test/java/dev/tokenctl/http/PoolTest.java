package dev.tokenctl.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenctl.app.Application;
import dev.tokenctl.cli.Context;
import dev.tokenctl.core.Store;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's applications: kept for the next request up to the pool's size, closed beyond it and when it closes. */
class PoolTest {
    @TempDir
    Path dir;
    private final List<Application> made = new ArrayList<>();

    private Application application() {
        Map<String, String> env = Map.of("TOKENCTL_DB", dir.resolve("tokens.db").toString(), "HOME", dir.toString());
        Application application = new Application(new Context(env, Clock.systemUTC(), ZoneOffset.UTC,
                new ByteArrayInputStream(new byte[0]), false, "t").environment(), warning -> { });
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
    void anApplicationGivenBackIsLentAgainAndOnesBeyondTheSizeAreClosed() {
        Pool pool = new Pool(this::application, 1);
        Application first = pool.borrow();
        Application second = pool.borrow();
        assertThat(second).isNotSameAs(first);
        Store firstStore = first.store();
        Store secondStore = second.store();
        pool.release(first);
        pool.release(second);
        assertThat(open(firstStore)).as("kept").isTrue();
        assertThat(open(secondStore)).as("beyond the size: closed").isFalse();
        assertThat(pool.borrow()).isSameAs(first);
        assertThat(made).hasSize(2);

        Application failed = pool.borrow();
        Store failedStore = failed.store();
        pool.discard(failed);
        assertThat(open(failedStore)).as("discarded: closed").isFalse();

        pool.release(first);
        pool.close();
        assertThat(open(firstStore)).as("closed with the pool").isFalse();
        assertThatThrownBy(firstStore::policy).isInstanceOf(RuntimeException.class);
    }
}
