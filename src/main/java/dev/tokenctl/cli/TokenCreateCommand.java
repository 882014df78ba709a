package dev.tokenctl.cli;

import dev.tokenctl.core.Expiry;
import dev.tokenctl.core.Permission;
import dev.tokenctl.core.TokenService;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "create", sortOptions = false,
        description = "Create a token and print its string, this once only.",
        footerHeading = "%nExamples:%n",
        footer = {"  T=$(tokenctl token create --name health --permission ReadHealthCheck --expires-in 30d)",
                "  tokenctl token create --name ci --permission ViewOrganizations,ListSubdomains \\",
                "      --expires-at 2027-01-31 --secret-out ci.token",
                "  tokenctl token create --name ops --permission ManageCluster --expires-in 12h -o json",
                "  tokenctl token create --name billing-api --permission ReadHealthCheck --expires-in 90d \\",
                "      --label team=payments --label env=prod"})
final class TokenCreateCommand extends BaseCommand {
    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "Name of the token: 1-253 printable characters, unique among tokens that are not revoked.")
    String name;

    @Option(names = "--permission", required = true, paramLabel = "PERM",
            converter = Converters.PermissionsConverter.class, completionCandidates = Converters.PermissionNames.class,
            description = "Permission to grant, case-insensitive; repeat or separate with commas. One of: ${COMPLETION-CANDIDATES}.")
    List<Converters.Permissions> permissions;

    @ArgGroup(exclusive = true)
    ExpiryOptions expiry;

    @Option(names = "--description", paramLabel = "TEXT", description = "What the token is for.")
    String description;

    @Option(names = "--ip-filter", paramLabel = "NAME", description = "Name of the IP filter the token only works through.")
    String ipFilter;

    @Option(names = "--label", paramLabel = "KEY=VALUE", converter = Converters.LabelConverter.class,
            description = "A label to tag the token with, such as team=payments; repeatable, at most 32. Keys:"
                    + " 1-63 of a-z 0-9 . _ -, starting and ending with a letter or digit.")
    List<Map.Entry<String, String>> labels;

    @Option(names = "--secret-out", paramLabel = "FILE", converter = Converters.PathConverter.class,
            description = "Write the token to this new file (mode 0600) instead of stdout; never overwrites.")
    Path secretOut;

    @Override
    ExitCode run() throws Exception {
        Expiry requested = expiry == null ? new Expiry.Unspecified() : expiry.toExpiry();
        TokenService.NewToken request = new TokenService.NewToken(name, description, Converters.Permissions.union(permissions),
                requested, ipFilter, Converters.labels(labels));
        return Issued.issue(this, secretOut, "Created", () -> app.tokens().create(request));
    }
}
