package dev.tokenctl.cli;

import dev.tokenctl.core.Store;
import dev.tokenctl.core.StoreCopy;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The store itself: what and where it is, and moving it to another one. */
@Command(name = "store", subcommands = {StoreCommand.InfoCommand.class, StoreCommand.CopyCommand.class},
        description = "Describe the store, or copy it into another one (a file or a PostgreSQL database).")
final class StoreCommand {

    @Command(name = "info", description = "Show the store's engine, location (never a password), schema version and counts.")
    static final class InfoCommand extends BaseCommand {
        @Override
        ExitCode run() {
            Store store = app.store();
            Store.Description description = store.describe();
            Store.Counts counts = store.counts(app.session().now());
            StoreRenderer.info(output(), new Views.StoreInfoView(description.engine(), description.location(),
                    description.schemaVersion(), counts.tokens(), counts.active(), counts.retiring(), counts.expired(),
                    counts.revoked(),
                    counts.ipFilters(), counts.auditEvents()));
            return ExitCode.OK;
        }
    }

    @Command(name = "copy", description = "Copy every token digest, IP filter, the policy and every audit event into"
            + " an empty store, and check that the counts match. Writers wait until it is done; on failure"
            + " nothing is copied (a target made for the copy is left empty).",
            footerHeading = "%nExamples:%n", footer = {
                "  Move the local store to a shared PostgreSQL database (password from PGPASSWORD or ~/.pgpass):",
                "    tokenctl store copy --to postgresql://tokenctl@db.example.com:5432/tokenctl?sslmode=verify-full",
                "  Back a store up into a new file:",
                "    tokenctl store copy --to ./backup-2026-11-29.db"})
    static final class CopyCommand extends BaseCommand {
        @Option(names = "--to", paramLabel = "PATH|URL", required = true,
                description = "The store to copy into: a new file, sqlite:PATH, or postgresql://user@host:5432/dbname."
                        + " It is created when it does not exist, and must be empty.")
        String to;

        @Override
        ExitCode run() {
            Store from = app.store();
            Instant now = app.session().now();
            Store.Counts copied;
            String target;
            try (Store into = app.open(to, "--to")) {
                target = into.describe().location();
                copied = StoreCopy.copy(from, into, now);
            }
            StoreRenderer.copy(output(), new Views.CopyView(from.describe().location(), target, copied.tokens(),
                    copied.ipFilters(), copied.auditEvents()));
            return ExitCode.OK;
        }
    }
}
