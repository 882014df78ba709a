package dev.tokenctl.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/** How times are shown: ISO-8601 UTC for machines, local and relative for people. */
final class Times {
    private Times() {
    }

    /** The local date alone, for narrow table columns. */
    static String date(Instant instant, ZoneId zone) {
        return day(Math.floorDiv(localSeconds(instant, zone), 86_400));
    }

    /** Seconds since 1970-01-01T00:00 on the zone's clocks at {@code instant}. */
    private static long localSeconds(Instant instant, ZoneId zone) {
        return instant.getEpochSecond() + zone.getRules().getOffset(instant).getTotalSeconds();
    }

    /**
     * The ISO date of a day counted from 1970-01-01, as {@link LocalDate#toString} writes it. Worked
     * out by hand for years 0 to 9999 (the proleptic Gregorian calendar in eras of 400 years, after
     * H. Hinnant's civil-from-days algorithm): java.time's validated path costs a table of 1,000
     * tokens several milliseconds in a JVM that has not compiled it yet.
     */
    static String day(long epochDay) {
        long shifted = epochDay + 719_468;  // days from 0000-03-01
        long era = Math.floorDiv(shifted, 146_097);
        long dayOfEra = shifted - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);  // from March 1
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
        long month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return LocalDate.ofEpochDay(epochDay).toString();
        }
        return new String(new char[] {(char) ('0' + year / 1000), (char) ('0' + year / 100 % 10),
            (char) ('0' + year / 10 % 10), (char) ('0' + year % 10), '-', (char) ('0' + month / 10),
            (char) ('0' + month % 10), '-', (char) ('0' + day / 10), (char) ('0' + day % 10)});
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
        long seconds = localSeconds(instant, zone);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        return day(Math.floorDiv(seconds, 86_400)) + " " + LocalTime.of(secondOfDay / 3600, secondOfDay / 60 % 60)
                + " (" + relative(instant, now, false) + ")";
    }

    /**
     * {@code in 30d} / {@code 5m ago} when {@code words} is false, {@code in 30 days} /
     * {@code 5 minutes ago} when true; in the largest unit that fits, rounded to the nearest.
     */
    static String relative(Instant instant, Instant now, boolean words) {
        // Duration.between(now, instant) in its normalised form (whole seconds rounded down, the
        // nanoseconds left over), without building one.
        long delta = instant.getEpochSecond() - now.getEpochSecond();
        int nanos = instant.getNano() - now.getNano();
        if (nanos < 0) {
            delta--;
        }
        boolean future = delta > 0 || (delta == 0 && nanos != 0);
        long seconds = Math.abs(delta);
        if (seconds < 60) {
            return future ? (words ? "in less than a minute" : "in <1m") : (words ? "just now" : "now");
        }
        // Rounded to the nearest in whole numbers: (s + 30) / 60 is Math.round(s / 60.0).
        long count;
        String unit;
        if (seconds < 3600) {
            count = (seconds + 30) / 60;
            unit = words ? " minute" : "m";
        } else if (seconds < 86_400) {
            count = (seconds + 1800) / 3600;
            unit = words ? " hour" : "h";
        } else {
            count = (seconds + 43_200) / 86_400;
            unit = words ? " day" : "d";
        }
        StringBuilder text = new StringBuilder(24).append(future ? "in " : "").append(count).append(unit);
        if (words && count != 1) {
            text.append('s');
        }
        return (future ? text : text.append(" ago")).toString();
    }
}
