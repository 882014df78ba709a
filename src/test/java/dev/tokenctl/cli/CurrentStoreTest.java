package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenctl.app.Application;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Whether a server's open store is still the one its location names, on each engine. */
class CurrentStoreTest extends OnEachEngine {
    private Application serverApplication() {
        Application application = new Application(cli.context().environment(), warning -> { });
        application.existingOnly();
        return application;
    }

    private String newTokenId(CliRunner on, String name) {
        String token = on.ok("token", "create", "--name", name, "--permission", "ReadHealthCheck", "--no-expiry").line();
        return token.substring(0, token.indexOf('~'));
    }

    @Test
    void aStoreStaysCurrentWhileOthersWriteToIt() {
        newTokenId(cli, "first");
        try (Application server = serverApplication()) {
            server.store().policy();
            assertThat(server.current()).isTrue();
            String second = newTokenId(cli, "second");
            assertThat(server.current()).as("written by another connection, still the same store").isTrue();
            assertThat(server.store().token(second)).isPresent();
        }
    }

    /** SQLite opens the file a link points to: pointing the link elsewhere, or replacing that file, is another store. */
    @Test
    void aLinkedStoreIsTheFileTheLinkPointsToNow() throws Exception {
        Assumptions.assumeTrue(engine == Engine.SQLITE, "a file to link to");
        String first = newTokenId(cli, "first");
        CliRunner other = new CliRunner(dir.resolve("other"));
        String second = newTokenId(other, "second");
        Path link = dir.resolve("tokens.db");
        Files.createSymbolicLink(link, cli.db);
        cli.env.put("TOKENCTL_DB", link.toString());

        try (Application server = serverApplication()) {
            assertThat(server.store().token(first)).isPresent();
            Path repointed = dir.resolve("repointed.db");
            Files.createSymbolicLink(repointed, other.db);
            Files.move(repointed, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            assertThat(server.current()).as("the link points at another file").isFalse();
        }
        try (Application server = serverApplication()) {
            assertThat(server.store().token(second)).isPresent();
            assertThat(server.current()).isTrue();
            Files.move(cli.db, other.db, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            assertThat(server.current()).as("another file renamed over the one the link points at").isFalse();
        }
        try (Application server = serverApplication()) {
            assertThat(server.store().token(first)).isPresent();
            assertThat(server.current()).isTrue();
        }
    }
}
