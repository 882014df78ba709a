package dev.tokenctl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenctl.core.TokenctlException;
import dev.tokenctl.testing.LocalStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening the store: the command line makes it on first use, a server only opens the one that is there. */
class ApplicationTest {
    @TempDir
    Path dir;

    private Application application(Path store, boolean existingOnly) {
        Application application = new Application(new Environment(Map.of("TOKENCTL_DB", store.toString(),
                "HOME", dir.toString()), Clock.systemUTC(), InputStream.nullInputStream(), "tester"), warning -> { });
        if (existingOnly) {
            application.existingOnly();
        }
        return application;
    }

    @Test
    void aStoreFileOthersCanReadIsWarnedOfEachTimeItIsOpened() throws Exception {
        Path file = dir.resolve("tokens.db");
        new LocalStore(dir).tokenctl("policy", "show");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        java.util.List<String> warnings = new java.util.ArrayList<>();
        try (Application application = new Application(new Environment(Map.of("TOKENCTL_DB", file.toString(), "HOME",
                dir.toString()), Clock.systemUTC(), InputStream.nullInputStream(), "tester"), warnings::add)) {
            application.store();
        }
        assertThat(warnings).singleElement().asString().startsWith("store " + file + " is readable by other users");
    }

    @Test
    void preparingRunsTheStoresSlowestStepAndThenTheFacesOnAnotherThread() throws Exception {
        for (String location : new String[] {dir.resolve("tokens.db").toString(), "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"}) {
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicReference<Thread> ran = new java.util.concurrent.atomic.AtomicReference<>();
            try (Application application = new Application(new Environment(Map.of("TOKENCTL_DB", location, "HOME", dir.toString(),
                    "TOKENCTL_LOCK_TIMEOUT", "2s"), Clock.systemUTC(), InputStream.nullInputStream(), "tester"), warning -> { })) {
                application.prepare(null, () -> {
                    ran.set(Thread.currentThread());
                    done.countDown();
                });
                assertThat(done.await(20, java.util.concurrent.TimeUnit.SECONDS)).as(location).isTrue();
                assertThat(ran.get()).isNotSameAs(Thread.currentThread());
                if (location.startsWith("postgresql")) {
                    assertThatThrownBy(application::store).as("the connection begun ahead failed: the store says so")
                            .isInstanceOfSatisfying(TokenctlException.class, e -> assertThat(e.kind()).isEqualTo(TokenctlException.Kind.STORAGE));
                } else {
                    assertThat(application.store().counts(Instant.now()).empty()).isTrue();
                }
            }
        }
    }

    @Test
    void anExistingOnlyApplicationNeverMakesTheStoreAndTellsWhenItsFileIsReplaced() throws Exception {
        String restored = new LocalStore(dir.resolve("backup")).newTokenId("restored");
        Path file = dir.resolve("data").resolve("tokens.db");
        try (Application server = application(file, true)) {
            assertThat(server.current()).as("nothing open yet: the next use opens the file named then").isTrue();
            assertThatThrownBy(server::store).isInstanceOfSatisfying(TokenctlException.class,
                    e -> assertThat(e.kind()).isEqualTo(TokenctlException.Kind.STORAGE))
                    .hasMessage("store file " + file + " does not exist (put the store back there, or point --db or"
                            + " TOKENCTL_DB at it)");
            assertThat(dir.resolve("data")).as("neither the file nor its directory made").doesNotExist();
        }

        try (Application cli = application(file, false)) {
            assertThat(cli.store().counts(Instant.now()).empty()).as("the command line makes it").isTrue();
        }
        try (Application server = application(file, true)) {
            assertThat(server.store().token(restored)).isEmpty();
            assertThat(server.current()).isTrue();
            Files.move(dir.resolve("backup").resolve("tokens.db"), file, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            assertThat(server.current()).as("another file renamed over it").isFalse();
        }
        try (Application server = application(file, true)) {
            assertThat(server.store().token(restored)).isPresent();
        }
    }

    @Test
    void aServersApplicationsAreOnItsStoreAndOnlyTheFirstMayMakeIt() throws Exception {
        Path file = dir.resolve("served").resolve("tokens.db");
        Application command = new Application(new Environment(Map.of("HOME", dir.toString()), Clock.systemUTC(),
                InputStream.nullInputStream(), "tester"), warning -> { });
        command.selectStore(file.toString());
        java.util.function.Supplier<Application> server = command.forServer();
        try (Application first = server.get()) {
            assertThat(first.storeLocation()).as("the store the command selected").isEqualTo(file.toString());
            assertThat(first.store().counts(Instant.now()).empty()).as("the first makes it, as a command would").isTrue();
        }
        Files.delete(file);
        try (Application next = server.get()) {
            assertThatThrownBy(next::store).isInstanceOf(TokenctlException.class).hasMessageContaining("does not exist");
        }
        assertThat(file).as("none after the first makes it again").doesNotExist();
    }
}
