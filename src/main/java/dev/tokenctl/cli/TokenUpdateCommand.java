package dev.tokenctl.cli;

import dev.tokenctl.core.Expiry;
import dev.tokenctl.core.IpFilter;
import dev.tokenctl.core.Token;
import dev.tokenctl.core.TokenService;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "update", sortOptions = false,
        description = "Change a token in place: its expiry (within the security policy; a shorter one always), description,"
                + " IP filter and labels, and its permissions when the policy allows it. All changes of one call are one"
                + " transaction and one audit event with every old and new value.",
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl token update billing-api --expires-in 30d --description 'billing, prod'",
                "  tokenctl token update billing-api --ip-filter office --label owner=ops --remove-label temp",
                "  tokenctl token update ci --permission ReadHealthCheck,ViewOrganizations"})
final class TokenUpdateCommand extends BaseCommand {
    @Parameters(paramLabel = "ID|NAME", description = "The token to change.")
    String token;

    @Option(names = "--permission", paramLabel = "PERM",
            converter = Converters.PermissionsConverter.class, completionCandidates = Converters.PermissionNames.class,
            description = "The new permission set; repeat or separate with commas (needs allow-permission-updates).")
    List<Converters.Permissions> permissions;

    @ArgGroup(exclusive = true)
    NewExpiry expiry;

    /**
     * The expiry's options as create has them, with what they mean for a token that exists. A
     * class of its own: picocli's annotation processor cannot share an argument group's class
     * between two commands.
     */
    static final class NewExpiry {
        @Option(names = "--expires-in", paramLabel = "DURATION", converter = Converters.LifetimeConverter.class,
                description = "New lifetime from now, within the policy's max-expiry (a shorter lifetime always).")
        Duration in;

        @Option(names = "--expires-at", paramLabel = "TIMESTAMP", converter = Converters.TimestampConverter.class,
                description = "New expiry as ISO-8601 / RFC 3339; a date alone means 00:00 UTC.")
        Instant at;

        @Option(names = "--no-expiry", description = "Never expire, unless the policy sets a maximum.")
        boolean never;

        Expiry toExpiry() {
            return in != null ? new Expiry.In(in) : at != null ? new Expiry.At(at) : new Expiry.Never();
        }
    }

    @Option(names = "--description", paramLabel = "TEXT", description = "The new description; '' removes it.")
    String description;

    @ArgGroup(exclusive = true)
    FilterOptions filter;

    /** A new IP filter, or none. */
    static final class FilterOptions {
        @Option(names = "--ip-filter", paramLabel = "NAME", description = "Bind the token to this IP filter.")
        String name;

        @Option(names = "--no-ip-filter", description = "Unbind the token from its IP filter (an enforced one still applies).")
        boolean none;
    }

    @Option(names = "--label", paramLabel = "KEY=VALUE", converter = Converters.LabelConverter.class,
            description = "Set a label; repeatable.")
    List<Map.Entry<String, String>> labels;

    @Option(names = "--remove-label", paramLabel = "KEY", converter = Converters.LabelKeyConverter.class,
            description = "Remove a label; repeatable. A key the token does not have is no change.")
    List<String> removeLabels;

    @Override
    ExitCode run() {
        TokenService.Changes changes = new TokenService.Changes(
                permissions == null ? null : Converters.Permissions.union(permissions),
                expiry == null ? null : expiry.toExpiry(), description,
                filter == null ? null : filter.none ? IpFilter.NONE : filter.name,
                Converters.labels(labels), removeLabels == null ? List.of() : removeLabels);
        Token updated = app.tokens().update(token, changes);
        TokenRenderer.show(output(), updated, context.clock().instant());
        return ExitCode.OK;
    }
}
