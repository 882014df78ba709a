package dev.tokenctl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Gathering lookups: the test holds each query until it lets it end, and knows that a call has
 * arrived from the count of calls waiting; nothing waits for time.
 */
class CoalescerTest {
    private final Coalescer<String, String> coalescer = new Coalescer<>();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    /** The queries begun, in order, each held until the test ends it. */
    private final BlockingQueue<Begun> begun = new LinkedBlockingQueue<>();

    /** A query that has begun: who ran it, for which keys, and how the test ends it. */
    private record Begun(String runner, Set<String> keys, CompletableFuture<Supplier<String>> end) {
        void answer(String answer) {
            end.complete(() -> answer);
        }

        void fail(RuntimeException failure) {
            end.complete(() -> {
                throw failure;
            });
        }
    }

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    /** {@code caller}'s own query: it begins, then waits for the test to end it. */
    private Function<Set<String>, String> queryOf(String caller) {
        return keys -> {
            Begun query = new Begun(caller, Set.copyOf(keys), new CompletableFuture<>());
            begun.add(query);
            return query.end().join().get();
        };
    }

    private Future<String> call(String caller, String... keys) {
        return callers.submit(() -> coalescer.get(List.of(keys), queryOf(caller)));
    }

    private Begun nextQuery() throws InterruptedException {
        Begun query = begun.poll(10, TimeUnit.SECONDS);
        assertThat(query).as("a query began").isNotNull();
        return query;
    }

    private void awaitWaiting(int calls) {
        while (coalescer.waiting() != calls) {
            Thread.onSpinWait();
        }
    }

    private static String answer(Future<String> call) throws Exception {
        return call.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCallWithNoQueryRunningRunsItsOwnAtOnceAndTheNextCallAnother() throws Exception {
        assertThat(coalescer.get(List.of("a", "b"), keys -> "answer for " + keys)).isEqualTo("answer for [a, b]");
        assertThat(coalescer.get(List.of("c"), keys -> "answer for " + keys)).isEqualTo("answer for [c]");
        assertThat(coalescer.waiting()).isZero();
    }

    @Test
    void callsArrivingWhileAQueryRunsAreAnsweredTogetherByTheNextNeverByTheOneRunning() throws Exception {
        Future<String> a = call("a", "a");
        Begun first = nextQuery();
        assertThat(first.runner()).isEqualTo("a");
        assertThat(first.keys()).containsExactly("a");

        Future<String> b = call("b", "b");
        Future<String> c = call("c", "c", "b");
        awaitWaiting(2);
        first.answer("first");
        assertThat(answer(a)).isEqualTo("first");

        Begun second = nextQuery();
        assertThat(second.runner()).as("one of the callers runs it, with its own query").isIn("b", "c");
        assertThat(second.keys()).containsExactlyInAnyOrder("b", "c");
        assertThat(b).as("the call that arrived while the first query ran waits for the second").isNotDone();

        Future<String> d = call("d", "d");
        awaitWaiting(1);
        second.answer("second");
        assertThat(answer(b)).isEqualTo("second");
        assertThat(answer(c)).isEqualTo("second");

        Begun third = nextQuery();
        assertThat(third.runner()).isEqualTo("d");
        assertThat(third.keys()).containsExactly("d");
        third.answer("third");
        assertThat(answer(d)).isEqualTo("third");
        assertThat(begun).isEmpty();
        assertThat(coalescer.waiting()).isZero();
    }

    @Test
    void aFailedQueryFailsEachOfItsCallersAndNoOther() throws Exception {
        Future<String> a = call("a", "a");
        Begun first = nextQuery();
        Future<String> b = call("b", "b");
        Future<String> c = call("c", "c");
        awaitWaiting(2);
        TokenctlException lost = new TokenctlException(TokenctlException.Kind.STORAGE, "lost the connection");
        first.fail(lost);
        assertThatThrownBy(() -> answer(a)).isInstanceOf(ExecutionException.class).hasCause(lost);

        Begun second = nextQuery();
        IllegalStateException broken = new IllegalStateException("broken");
        second.fail(broken);
        assertThatThrownBy(() -> answer(b)).hasCause(broken);
        assertThatThrownBy(() -> answer(c)).hasCause(broken);

        assertThat(coalescer.get(List.of("e"), keys -> "after " + keys)).as("the next query runs").isEqualTo("after [e]");
    }

    @Test
    void anErrorInAQueryReachesItsCallerAsItself() {
        OutOfMemoryError error = new OutOfMemoryError("heap");
        assertThatThrownBy(() -> coalescer.get(List.of("a"), keys -> {
            throw error;
        })).isSameAs(error);
        assertThat(coalescer.get(List.of("a"), keys -> "again")).isEqualTo("again");
    }
}
