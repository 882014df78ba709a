package dev.tokenctl.cli;

import dev.tokenctl.core.Expiry;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Option;

/** The three ways to give an expiry, of which create and update take one. */
final class ExpiryOptions {
    @Option(names = "--expires-in", paramLabel = "DURATION", converter = Converters.LifetimeConverter.class,
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
