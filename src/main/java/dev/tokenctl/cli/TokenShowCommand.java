package dev.tokenctl.cli;

import dev.tokenctl.core.Text;
import dev.tokenctl.core.Token;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = "Show every field of one token (never its secret).")
final class TokenShowCommand extends BaseCommand {
    @Parameters(paramLabel = "ID|NAME", description = "The token: an id, or the name of a token.")
    String token;

    @Override
    ExitCode run() {
        Token found = app.tokens().resolve(token);
        Output output = output();
        Instant now = context.clock().instant();
        if (output.isText()) {
            print(output, found, now);
        } else {
            output.value(Views.token(found, now));
        }
        return ExitCode.OK;
    }

    static void print(Output output, Token t, Instant now) {
        PrintWriter out = output.out;
        ZoneId zone = output.context.zone();
        field(out, "ID", t.id());
        field(out, "Name", t.name());
        field(out, "Description", t.description() == null ? "-" : t.description());
        field(out, "Status", t.status(now).label());
        field(out, "Permissions", String.join(", ", Views.names(t.permissions())));
        field(out, "Created", Times.local(t.createdAt(), now, zone, "-"));
        field(out, "Expires", Times.local(t.expiresAt(), now, zone, "never"));
        field(out, "IP filter", t.ipFilter() == null ? "-" : t.ipFilter());
        field(out, "Last used", Times.local(t.lastUsedAt(), now, zone, "never")
                + (t.lastUsedAddress() == null ? "" : " from " + t.lastUsedAddress()));
        if (t.revokedAt() != null) {
            field(out, "Revoked", Times.local(t.revokedAt(), now, zone, "-"));
            field(out, "Reason", t.revokeReason());
        }
        if (t.rotatedFrom() != null) {
            field(out, "Rotated from", t.rotatedFrom());
        }
    }

    private static void field(PrintWriter out, String label, String value) {
        out.printf("%-13s %s%n", label + ":", Text.escape(value));
    }
}
