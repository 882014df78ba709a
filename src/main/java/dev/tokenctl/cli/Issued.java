package dev.tokenctl.cli;

import dev.tokenctl.core.Permission;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.Token;
import dev.tokenctl.core.TokenService;
import dev.tokenctl.core.TokenctlException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Hands out a token string from create or rotate exactly once: to stdout (text: the string
 * alone; json/yaml: with its metadata) or, with {@code --secret-out}, to a new 0600 file.
 * The string is printed only after the transaction that stored its digest has committed.
 */
final class Issued {
    private Issued() {
    }

    static ExitCode issue(BaseCommand command, Path secretOut, String verb, Supplier<TokenService.Issued> operation)
            throws IOException {
        Output output = command.output();
        PrintWriter err = command.err();
        if (secretOut == null) {
            TokenService.Issued issued = operation.get();
            Instant now = command.context.clock().instant();
            boolean written;
            try {
                if (output.isText()) {
                    output.out.println(issued.tokenString());
                } else {
                    output.value(new Views.IssuedView(issued.tokenString(), Views.token(issued.token(), now)));
                }
                output.out.flush();
                written = !output.out.checkError();
            } catch (StandardOutput.Failure e) {
                written = false;  // even when the reader left: the only copy of the string is lost
            }
            if (!written) {
                throw new TokenctlException(TokenctlException.Kind.STORAGE, "token " + issued.token().id()
                        + " was issued but could not be written to standard output (revoke it with 'tokenctl token revoke "
                        + issued.token().id() + "' and try again, or use --secret-out FILE)");
            }
            if (output.isText()) {
                summary(err, verb, issued.token(), now);
                err.println("Copy the token now: it will not be shown again.");
            }
            warn(err, issued.token());
            return ExitCode.OK;
        }
        try (SecretFile file = SecretFile.reserve(secretOut)) {
            TokenService.Issued issued = operation.get();
            Instant now = command.context.clock().instant();
            try {
                file.write(issued.tokenString());
            } catch (IOException e) {
                throw new TokenctlException(TokenctlException.Kind.STORAGE, "token " + issued.token().id()
                        + " was created but writing " + Converters.shown(file.path()) + " failed: " + Converters.shown(e.getMessage())
                        + " (revoke it with 'tokenctl token revoke " + issued.token().id() + "' and try again)");
            }
            TokenRenderer.show(output, issued.token(), now);
            if (output.isText()) {
                err.println(verb + " token " + issued.token().id() + "; its string is in " + Converters.shown(file.path()) + " (mode 0600).");
            }
            warn(err, issued.token());
            return ExitCode.OK;
        }
    }

    private static void summary(PrintWriter err, String verb, Token token, Instant now) {
        err.println(verb + " token " + token.id() + " '" + Text.escape(token.name()) + "'");
        err.println("  permissions: " + String.join(", ", Views.names(token.permissions())));
        err.println("  expires:     " + (token.expiresAt() == null ? "never"
                : Times.iso(token.expiresAt()) + " (" + Times.relative(token.expiresAt(), now, true) + ")"));
        if (token.ipFilter() != null) {
            err.println("  ip filter:   " + token.ipFilter());
        }
    }

    private static void warn(PrintWriter err, Token token) {
        for (Permission p : token.permissions()) {
            if (p.dangerous()) {
                err.println("tokenctl: warning: " + p.name() + " lets the token " + p.description());
            }
        }
    }
}
