package dev.tokenctl.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** How times are shown: ISO-8601 UTC for machines, local and relative for people. */
final class Times {
    private Times() {
    }

    /** The local date alone, for narrow table columns. */
    static String date(Instant instant, ZoneId zone) {
        long local = instant.getEpochSecond() + zone.getRules().getOffset(instant).getTotalSeconds();
        return java.time.LocalDate.ofEpochDay(Math.floorDiv(local, 86_400)).toString();
    }

    /** ISO-8601 UTC to the second, or null. */
    static String iso(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Local date and time with the relative form, e.g. {@code 2026-12-29 10:00 (in 30d)}. */
    static String local(Instant instant, Instant now, ZoneId zone, String absent) {
        if (instant == null) {
            return absent;
        }
        // By hand rather than with a DateTimeFormatter, whose set-up a short-lived process pays in full.
        LocalDateTime local = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, zone.getRules().getOffset(instant));
        return local.toLocalDate() + " " + LocalTime.of(local.getHour(), local.getMinute())
                + " (" + relative(instant, now, false) + ")";
    }

    /**
     * {@code in 30d} / {@code 5m ago} when {@code words} is false, {@code in 30 days} /
     * {@code 5 minutes ago} when true; in the largest unit that fits, rounded to the nearest.
     */
    static String relative(Instant instant, Instant now, boolean words) {
        Duration delta = Duration.between(now, instant);
        boolean future = !delta.isNegative() && !delta.isZero();
        long seconds = Math.abs(delta.getSeconds());
        String amount;
        if (seconds < 60) {
            return future ? (words ? "in less than a minute" : "in <1m") : (words ? "just now" : "now");
        } else if (seconds < 3600) {
            amount = unit(Math.round(seconds / 60.0), "m", "minute", words);
        } else if (seconds < 86_400) {
            amount = unit(Math.round(seconds / 3600.0), "h", "hour", words);
        } else {
            amount = unit(Math.round(seconds / 86_400.0), "d", "day", words);
        }
        return future ? "in " + amount : amount + " ago";
    }

    private static String unit(long count, String shortUnit, String word, boolean words) {
        return words ? count + " " + word + (count == 1 ? "" : "s") : count + shortUnit;
    }
}
