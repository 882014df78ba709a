package dev.tokenctl.cli;

import dev.tokenctl.core.AuditEvent;
import dev.tokenctl.core.AuditFollower;
import dev.tokenctl.core.TokenFormat;
import dev.tokenctl.core.TokenService;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The audit log. */
@Command(name = "audit", description = "Read the audit log.")
final class AuditCommand {

    @Command(name = "list", description = "List audit events, oldest first: creations, revocations, rotations,"
            + " updates, denied verifies, policy and filter changes.",
            footerHeading = "%nExamples:%n",
            footer = {"  tokenctl audit list --since 24h --token billing-api",
                    "  Ship every event to syslog as it is committed, by any process or host:",
                    "    tokenctl audit list --follow -o json | logger -t tokenctl"})
    static final class ListCommand extends BaseCommand {
        @Option(names = "--since", paramLabel = "DURATION", converter = Converters.SinceConverter.class,
                description = "Only events within this time before now, e.g. 24h.")
        Duration since;

        @Option(names = "--token", paramLabel = "ID|NAME", description = "Only events of this token.")
        String token;

        @Option(names = {"-f", "--follow"}, description = "Then keep printing new events as any process commits them"
                + " (on PostgreSQL, any host), until interrupted; -o json prints JSON Lines, one event a line.")
        boolean follow;

        @Override
        ExitCode run() throws InterruptedException {
            TokenService tokens = app.tokens();
            String id = token == null || TokenFormat.looksLikeId(token) ? token : tokens.resolve(token).id();
            if (!follow) {
                AuditRenderer.list(output(), sink -> tokens.audit(since, id, sink), context.clock().instant());
                return ExitCode.OK;
            }
            // Ctrl-C or a TERM ends the stream quietly, as its natural end; a reader that went
            // away ends it at the next write, as every command's output does.
            AtomicBoolean stop = new AtomicBoolean();
            for (String signal : new String[] {"INT", "TERM"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stop.set(true));
            }
            Consumer<AuditEvent> print = AuditRenderer.stream(output());
            AuditFollower follower = tokens.followAudit(since, id, print);
            while (!stop.get()) {
                Thread.sleep(POLL_MILLIS);
                if (!stop.get()) {
                    follower.poll(print);
                }
            }
            return ExitCode.OK;
        }

        /** How often the store is asked for new events: well within the second a follower may lag. */
        private static final long POLL_MILLIS = 200;
    }
}
