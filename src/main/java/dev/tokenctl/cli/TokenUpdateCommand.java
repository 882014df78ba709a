package dev.tokenctl.cli;

import dev.tokenctl.core.Token;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "update", description = "Replace a token's permissions, when the security policy allows it.")
final class TokenUpdateCommand extends BaseCommand {
    @Parameters(paramLabel = "ID|NAME", description = "The token to change.")
    String token;

    @Option(names = "--permission", required = true, paramLabel = "PERM",
            converter = Converters.PermissionsConverter.class, completionCandidates = Converters.PermissionNames.class,
            description = "The new permission set; repeat or separate with commas.")
    List<Converters.Permissions> permissions;

    @Override
    ExitCode run() {
        Token updated = app.tokens().updatePermissions(token, Converters.Permissions.union(permissions));
        TokenRenderer.show(output(), updated, context.clock().instant());
        return ExitCode.OK;
    }
}
