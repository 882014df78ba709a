package dev.tokenctl.cli;

import dev.tokenctl.app.TokenMetrics;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "metrics",
        description = "Print the token gauges of /metrics in Prometheus's text format, for node_exporter's textfile"
                + " collector on hosts that do not run 'tokenctl serve'.",
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl metrics > /var/lib/node_exporter/textfile/tokenctl.prom.$$ &&"
                + " mv /var/lib/node_exporter/textfile/tokenctl.prom.$$ /var/lib/node_exporter/textfile/tokenctl.prom"})
final class MetricsCommand extends BaseCommand {
    @Option(names = "--metrics-expiry-window", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            defaultValue = "30d",
            description = "Active tokens expiring within this get an expiry gauge (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Override
    ExitCode run() {
        StringBuilder text = new StringBuilder();
        TokenMetrics.write(app, window, text);
        out().print(text);
        return ExitCode.OK;
    }
}
