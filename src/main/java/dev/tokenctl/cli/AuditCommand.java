package dev.tokenctl.cli;

import dev.tokenctl.core.AuditFollower;
import dev.tokenctl.core.Store;
import dev.tokenctl.core.TokenFormat;
import dev.tokenctl.core.TokenService;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The audit log. */
@Command(name = "audit", subcommands = AuditCommand.ListCommand.class, description = "Read the audit log.")
final class AuditCommand {

    @Command(name = "list", description = "List audit events, oldest first: creations, revocations, rotations,"
            + " updates, denied verifies, policy and filter changes.",
            footerHeading = "%nExamples:%n",
            footer = {"  tokenctl audit list --since 24h --token billing-api",
                    "  Ship every event to syslog as it is committed, by any process or host; it rides",
                    "  out a restart of the database, and --after resumes where a stopped one ended:",
                    "    tokenctl audit list --follow -o json | logger -t tokenctl",
                    "    tokenctl audit list --follow -o json --after 4711 | logger -t tokenctl"})
    static final class ListCommand extends BaseCommand {
        @Option(names = "--since", paramLabel = "DURATION|TIME", converter = Converters.SinceConverter.class,
                description = "Only events within this time before now, e.g. 24h, or at or after this time,"
                        + " e.g. 2026-12-07T10:00:00Z.")
        Converters.Since since;

        @Option(names = "--after", paramLabel = "SEQ", converter = Converters.SeqConverter.class,
                description = "Only events numbered after this one (the seq of -o json and -o wide), by number:"
                        + " to resume exactly after the last event a follower printed.")
        long after;

        @Option(names = "--token", paramLabel = "ID|NAME", description = "Only events of this token.")
        String token;

        @Option(names = {"-f", "--follow"}, description = "Then keep printing new events as any process commits them"
                + " (on PostgreSQL, any host), until interrupted; -o json prints JSON Lines, one event a line."
                + " A store that fails meanwhile (a database restarting) is reconnected to, with a warning on"
                + " stderr, and no event is lost or printed twice.")
        boolean follow;

        @Override
        ExitCode run() throws InterruptedException {
            TokenService tokens = app.tokens();
            String id = token == null || TokenFormat.looksLikeId(token) ? token : tokens.resolve(token).id();
            Instant from = since == null ? null : since.from(context.clock().instant());
            if (!follow) {
                AuditRenderer.list(output(), sink -> tokens.audit(from, after, id, sink), context.clock().instant());
                return ExitCode.OK;
            }
            // Ctrl-C or a TERM ends the stream quietly, as its natural end; a reader that went
            // away ends it at the next write, as every command's output does.
            CountDownLatch stop = new CountDownLatch(1);
            for (String signal : new String[] {"INT", "TERM"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stop.countDown());
            }
            PrintWriter err = err();
            tokens.followAudit(from, after, id).follow(AuditRenderer.stream(output()), this::reconnect, new Pacer(stop),
                    warning -> {
                        err.println("tokenctl: warning: " + warning);
                        err.flush();
                    });
            return ExitCode.OK;
        }

        /** The store opened again; never a new one where the old one was. */
        private Store reconnect() {
            app.close();
            app.existingOnly();
            return app.store();
        }

        /** Real time, cut short by a signal. */
        private record Pacer(CountDownLatch stop) implements AuditFollower.Pacer {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public boolean pause(Duration time) throws InterruptedException {
                return !stop.await(time.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }
}
