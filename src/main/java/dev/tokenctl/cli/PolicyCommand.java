package dev.tokenctl.cli;

import dev.tokenctl.core.Durations;
import dev.tokenctl.core.Policy;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** The security policy commands. */
@Command(name = "policy", description = "Show or change the security policy that bounds every token.")
final class PolicyCommand {

    @Command(name = "show", description = "Show the security policy; -o yaml or -o json gives what 'policy set --file' reads.")
    static final class ShowCommand extends BaseCommand {
        @Override
        ExitCode run() {
            print(output(), app.policies().policy());
            return ExitCode.OK;
        }
    }

    /** The policy as json/yaml: exactly the keys and values {@link PolicyFile} reads back. */
    record PolicyView(boolean tokensEnabled, String maxExpiry, String defaultExpiry, String enforcedIpFilter,
                      boolean allowPermissionUpdates) {
        static PolicyView of(Policy p) {
            return new PolicyView(p.tokensEnabled(), p.maxExpiry() == null ? null : Durations.format(p.maxExpiry()),
                    p.defaultExpiry() == null ? null : Durations.format(p.defaultExpiry()), p.enforcedIpFilter(),
                    p.allowPermissionUpdates());
        }
    }

    static void print(Output output, Policy policy) {
        PolicyView view = PolicyView.of(policy);
        if (!output.isText()) {
            output.value(view);
            return;
        }
        PrintWriter out = output.out;
        out.printf("%-26s%s%n", "tokens-enabled:", view.tokensEnabled());
        out.printf("%-26s%s%n", "max-expiry:", orNone(view.maxExpiry()));
        out.printf("%-26s%s%n", "default-expiry:", orNone(view.defaultExpiry()));
        out.printf("%-26s%s%n", "enforced-ip-filter:", orNone(view.enforcedIpFilter()));
        out.printf("%-26s%s%n", "allow-permission-updates:", view.allowPermissionUpdates());
    }

    private static String orNone(String value) {
        return value == null ? "none" : value;
    }
}
