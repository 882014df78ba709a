package dev.tokenctl.cli;

import dev.tokenctl.core.Text;
import dev.tokenctl.core.TokenService;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "revoke", description = "Revoke tokens at once; their records are kept with the time and reason.")
final class TokenRevokeCommand extends BaseCommand {
    @Parameters(paramLabel = "ID|NAME", arity = "1..*", description = "The tokens to revoke; if one is not found, none is revoked.")
    List<String> tokens;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why the tokens are revoked, kept with them.")
    String reason;

    @Override
    ExitCode run() {
        List<TokenService.Revoked> outcome = app.tokens().revoke(tokens, reason);
        Output output = output();
        if (output.isText()) {
            for (TokenService.Revoked r : outcome) {
                if (r.alreadyRevoked()) {
                    err().println("tokenctl: " + r.token().id() + " (" + Text.escape(r.token().name()) + ") was already revoked at "
                            + Times.iso(r.token().revokedAt()));
                } else {
                    output.out.println("revoked " + r.token().id() + " " + Text.escape(r.token().name()));
                }
            }
        } else {
            output.value(outcome.stream().map(r -> new Views.RevokedView(r.token().id(), r.token().name(),
                    Times.iso(r.token().revokedAt()), r.token().revokeReason(), r.alreadyRevoked())).toList());
            outcome.stream().filter(TokenService.Revoked::alreadyRevoked).forEach(r -> err().println(
                    "tokenctl: " + r.token().id() + " (" + Text.escape(r.token().name()) + ") was already revoked"));
        }
        return ExitCode.OK;
    }
}
