package dev.tokenctl.cli;

import dev.tokenctl.core.Expiry;
import dev.tokenctl.core.Permission;
import dev.tokenctl.core.TokenService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "create", sortOptions = false,
        description = "Create a token and print its string, this once only.",
        footerHeading = "%nExamples:%n",
        footer = {"  T=$(tokenctl token create --name health --permission ReadHealthCheck --expires-in 30d)",
                "  tokenctl token create --name ci --permission ViewOrganizations,ListSubdomains \\",
                "      --expires-at 2027-01-31 --secret-out ci.token",
                "  tokenctl token create --name ops --permission ManageCluster --expires-in 12h -o json"})
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

    @Option(names = "--secret-out", paramLabel = "FILE", converter = Converters.PathConverter.class,
            description = "Write the token to this new file (mode 0600) instead of stdout; never overwrites.")
    Path secretOut;

    /** The three ways to give an expiry; one of them is needed unless the policy has a default. */
    static final class ExpiryOptions {
        @Option(names = "--expires-in", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
                description = "Lifetime from now: 30m, 12h, 7d, 2w, 1d12h or ISO-8601 such as P7D.")
        Duration in;

        @Option(names = "--expires-at", paramLabel = "TIMESTAMP", converter = Converters.TimestampConverter.class,
                description = "Expiry as ISO-8601 / RFC 3339, e.g. 2027-01-31T18:00:00Z; a date alone means 00:00 UTC.")
        Instant at;

        @Option(names = "--no-expiry", description = "The token never expires (unless the policy sets a maximum).")
        boolean never;

        Expiry toExpiry() {
            return in != null ? new Expiry.In(in) : at != null ? new Expiry.At(at) : new Expiry.Never();
        }
    }

    @Override
    ExitCode run() throws Exception {
        Expiry requested = expiry == null ? new Expiry.Unspecified() : expiry.toExpiry();
        TokenService.NewToken request = new TokenService.NewToken(name, description, Converters.Permissions.union(permissions),
                requested, ipFilter);
        return Issued.issue(this, secretOut, "Created", () -> app.tokens().create(request));
    }
}
