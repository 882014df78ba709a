package dev.tokenctl.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tokenctl.app.Application;
import dev.tokenctl.app.TokenMetrics;
import dev.tokenctl.core.Durations;
import dev.tokenctl.core.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "metrics",
        description = {"Print the token gauges of /metrics in Prometheus's text format, for node_exporter's textfile"
                + " collector on hosts that do not run 'tokenctl serve'.",
            "With -o json or yaml: the token counts by status and the tokens expiring within the window, soonest first."},
        footerHeading = "%nExamples:%n",
        // picocli reads "$$" as an escaped "$": "$$$$" prints the shell's "$$", its process id.
        footer = {"  dir=/var/lib/node_exporter/textfile",
                "  tokenctl metrics > \"$dir/tokenctl.prom.$$$$\" && mv \"$dir/tokenctl.prom.$$$$\" \"$dir/tokenctl.prom\""})
final class MetricsCommand extends BaseCommand {
    @Option(names = "--metrics-expiry-window", paramLabel = "DURATION", converter = Converters.ExpiryWindowConverter.class,
            defaultValue = "30d",
            description = "Active tokens expiring within this get an expiry gauge (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--label", paramLabel = "KEY[=VALUE]", converter = Converters.LabelSelectorConverter.class,
            description = "Expiry gauges only for tokens with this label (any value when only KEY is given); repeatable,"
                    + " all must match. Each gauge carries its token's labels as label_KEY.")
    List<Map.Entry<String, String>> labels;

    @Override
    ExitCode run() {
        Output output = output();
        // Every series, written as it is read: the text of a store of any size is never held whole.
        if (output.isText()) {
            TokenMetrics.write(app, window, Converters.labels(labels), Integer.MAX_VALUE, out());
        } else {
            Document.write(output, app, window, Converters.labels(labels));
        }
        return ExitCode.OK;
    }

    /**
     * The gauges as one json/yaml document, each expiring token written as it is read; a class of
     * its own, so the text format never loads Jackson.
     */
    private static final class Document {
        private Document() {
        }

        static void write(Output output, Application app, Duration window, Map<String, String> selector) {
            try (JsonGenerator g = output.mapper().writerWithDefaultPrettyPrinter().createGenerator(output.out)) {
                Store.Counts counts = TokenMetrics.counts(app);
                g.writeStartObject();
                g.writeObjectField("tokens", new Views.TokenCountsView(counts.active(), counts.retiring(), counts.expired(),
                        counts.revoked()));
                g.writeStringField("expiring_within", Durations.format(window));
                g.writeArrayFieldStart("expiring");
                TokenMetrics.expiring(app, window, selector, Integer.MAX_VALUE, t -> {
                    try {
                        g.writeObject(new Views.ExpiringView(t.id(), t.name(), t.labels(), Times.iso(t.expiresAt())));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                g.writeEndArray();
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (output.format == Output.Format.json) {
                output.out.println();
            }
        }
    }
}
