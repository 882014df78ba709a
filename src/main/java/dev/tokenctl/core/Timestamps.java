package dev.tokenctl.core;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Absolute times given on the command line: ISO-8601 / RFC 3339, or a date meaning 00:00 UTC. */
public final class Timestamps {
    private static final String ACCEPTED =
            "use ISO-8601 / RFC 3339 with an offset, e.g. 2027-01-31T18:00:00Z or 2027-01-31T18:00+01:00, or a date such as 2027-01-31 for 00:00 UTC";

    private Timestamps() {
    }

    /**
     * Parses a date-time with an offset ({@code Z} or {@code +01:00}), or a date alone.
     *
     * @throws TokenctlException INVALID saying what is accepted
     */
    public static Instant parse(String text) {
        if (text.length() > 64 || text.isEmpty()) {
            throw TokenctlException.invalid("cannot read timestamp '" + Text.quoteSafe(text) + "' (" + ACCEPTED + ")");
        }
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            // RFC 3339 allows a space between date and time.
            String normalized = text.length() > 10 && text.charAt(10) == ' '
                    ? text.substring(0, 10) + 'T' + text.substring(11) : text;
            return OffsetDateTime.parse(normalized).toInstant();
        } catch (DateTimeParseException e) {
            String hint = text.matches("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?")
                    ? "add Z for UTC or an offset such as +01:00" : ACCEPTED;
            throw TokenctlException.invalid("cannot read timestamp '" + Text.quoteSafe(text) + "' (" + hint + ")");
        }
    }
}
