package dev.tokenctl.cli;

import dev.tokenctl.app.TokenMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "metrics",
        description = "Print the token gauges of /metrics in Prometheus's text format, for node_exporter's textfile"
                + " collector on hosts that do not run 'tokenctl serve'.",
        footerHeading = "%nExamples:%n",
        // picocli reads "$$" as an escaped "$": "$$$$" prints the shell's "$$", its process id.
        footer = {"  dir=/var/lib/node_exporter/textfile",
                "  tokenctl metrics > \"$dir/tokenctl.prom.$$$$\" && mv \"$dir/tokenctl.prom.$$$$\" \"$dir/tokenctl.prom\""})
final class MetricsCommand extends BaseCommand {
    @Option(names = "--metrics-expiry-window", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            defaultValue = "30d",
            description = "Active tokens expiring within this get an expiry gauge (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--label", paramLabel = "KEY[=VALUE]", converter = Converters.LabelSelectorConverter.class,
            description = "Expiry gauges only for tokens with this label (any value when only KEY is given); repeatable,"
                    + " all must match. Each gauge carries its token's labels as label_KEY.")
    List<Map.Entry<String, String>> labels;

    @Override
    ExitCode run() {
        // Every series, written as it is read: the text of a store of any size is never held whole.
        TokenMetrics.write(app, window, Converters.labels(labels), Integer.MAX_VALUE, out());
        return ExitCode.OK;
    }
}
