package dev.tokenctl.cli;

import dev.tokenctl.core.IpFilter;
import dev.tokenctl.core.IpFilterService;
import inet.ipaddr.IPAddress;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The IP filter commands. */
@Command(name = "ipfilter", subcommands = {IpFilterCommand.AddCommand.class, IpFilterCommand.ListCommand.class,
        IpFilterCommand.ShowCommand.class, IpFilterCommand.UpdateCommand.class, IpFilterCommand.RemoveCommand.class,
        IpFilterCommand.TestCommand.class}, description = "Manage named IP filters: allow/deny rule lists for IPv4 and IPv6.")
final class IpFilterCommand {

    /** Where the rules come from: --rule options or a file. */
    static final class RulesInput {
        @Option(names = "--rule", paramLabel = "RULE", required = true, arity = "1..*",
                description = "A rule, 'allow SPEC' or 'deny SPEC' (SPEC: all, an address or a CIDR range); repeat in order.")
        List<String> rules;

        @Option(names = "--file", paramLabel = "FILE", required = true,
                description = "Read the rules from a file, one a line, '#' comments allowed; '-' reads stdin.")
        String file;

        String text(Context context) {
            return rules != null ? String.join("\n", rules) + "\n"
                    : TextInput.read(file, context.stdin(), IpFilter.MAX_TEXT);
        }
    }

    abstract static class SaveCommand extends BaseCommand {
        @Parameters(paramLabel = "NAME", description = "Name of the filter.")
        String name;

        @ArgGroup(exclusive = true, multiplicity = "1")
        RulesInput input;

        abstract IpFilterService.Saved save(IpFilterService filters, String text);

        @Override
        ExitCode run() {
            IpFilterService filters = app.ipFilters();
            IpFilterService.Saved saved = save(filters, input.text(context));
            for (String notice : saved.notices()) {
                err().println("tokenctl: note: " + notice);
            }
            IpFilterRenderer.show(output(), saved.filter(), filters.users(name));
            return ExitCode.OK;
        }
    }

    @Command(name = "add", description = "Add a named IP filter.",
            footerHeading = "%nExamples:%n",
            footer = {"  tokenctl ipfilter add office --rule 'allow 10.20.0.0/16' --rule 'allow 2001:db8:20::/48'",
                    "  tokenctl ipfilter add vpn --file vpn-rules.txt",
                    "  printf 'deny 10.0.0.13\\nallow 10.0.0.0/8\\n' | tokenctl ipfilter add lab --file -"})
    static final class AddCommand extends SaveCommand {
        @Override
        IpFilterService.Saved save(IpFilterService filters, String text) {
            return filters.add(name, text);
        }
    }

    @Command(name = "update", description = "Replace a filter's rules; takes effect at once for every token and the policy using it.")
    static final class UpdateCommand extends SaveCommand {
        @Override
        IpFilterService.Saved save(IpFilterService filters, String text) {
            return filters.update(name, text);
        }
    }

    @Command(name = "list", description = "List the IP filters with their rule counts and users.")
    static final class ListCommand extends BaseCommand {
        @Override
        ExitCode run() {
            IpFilterRenderer.list(output(), app.ipFilters(), context.clock().instant());
            return ExitCode.OK;
        }
    }

    @Command(name = "show", description = "Show a filter's rules with their line numbers, and what uses it.")
    static final class ShowCommand extends BaseCommand {
        @Parameters(paramLabel = "NAME", description = "Name of the filter.")
        String name;

        @Override
        ExitCode run() {
            IpFilterService filters = app.ipFilters();
            IpFilterRenderer.show(output(), filters.get(name), filters.users(name));
            return ExitCode.OK;
        }
    }

    @Command(name = "remove", description = "Remove a filter; refused while a token that is not revoked or the policy uses it.")
    static final class RemoveCommand extends BaseCommand {
        @Parameters(paramLabel = "NAME", description = "Name of the filter.")
        String name;

        @Override
        ExitCode run() {
            app.ipFilters().remove(name);
            if (output().isText()) {
                out().println("removed " + name);
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "test", description = "Check an address against a filter: exit 0 when allowed, 1 when denied.")
    static final class TestCommand extends BaseCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "Name of the filter.")
        String name;

        @Parameters(index = "1", paramLabel = "ADDRESS", converter = Converters.AddressConverter.class,
                description = "An IPv4 or IPv6 address.")
        IPAddress address;

        @Override
        ExitCode run() {
            IpFilter.Decision decision = app.ipFilters().test(name, address);
            IpFilterRenderer.decision(output(), name, address, decision);
            return decision.allowed() ? ExitCode.OK : ExitCode.DENIED;
        }
    }
}
