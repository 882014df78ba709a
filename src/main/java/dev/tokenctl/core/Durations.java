package dev.tokenctl.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Token lifetimes: {@code 30m}, {@code 12h}, {@code 7d}, {@code 2w}, combinations such as
 * {@code 1d12h} (largest unit first, each once), and ISO-8601 ({@code PT30M}, {@code P7D},
 * {@code P1DT12H}). Months and years have no fixed length, and {@code M} reads as minutes in
 * some tools and months in others, so all of them are refused rather than guessed.
 */
public final class Durations {
    /** The longest lifetime accepted: 100 years. Longer is not an expiry; use no expiry instead. */
    public static final Duration MAX = Duration.ofDays(36_500);

    /** A token's lifetime, as {@code --expires-in} of create and update takes it. */
    public static final Use LIFETIME = new Use("30m, 12h, 7d, 2w, 1d12h", null,
            "use --no-expiry for a token that never expires");
    private static final Pattern PART = Pattern.compile("([0-9]+)([A-Za-z]+)");
    private static final Pattern ISO = Pattern.compile(
            "P(?:([0-9]+)W)?(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)S)?)?",
            Pattern.CASE_INSENSITIVE);
    private static final String[] UNITS = {"w", "d", "h", "m", "s"};
    private static final long[] SECONDS = {604_800, 86_400, 3_600, 60, 1};

    private Durations() {
    }

    /**
     * What a duration is given for, as a refused value's message names it: examples that fit,
     * what else the option or setting takes besides a duration (null: nothing), and what to do
     * instead of a duration longer than {@link #MAX}. Each option has its own: only
     * {@code --expires-in} has a {@code --no-expiry} to suggest.
     */
    public record Use(String examples, String otherwise, String beyond) {
        /** The forms and the range this use accepts, as the hint of a message. */
        String accepted() {
            return "use 1s to " + format(MAX) + " as a number with a unit w, d, h, m or s, e.g. " + examples
                    + ", or ISO-8601 such as PT30M or P7D" + (otherwise == null ? "" : "; or " + otherwise);
        }
    }

    /**
     * Parses a lifetime.
     *
     * @throws TokenctlException INVALID saying what is accepted
     */
    public static Duration parse(String text) {
        return parse(text, LIFETIME);
    }

    /**
     * Parses a duration given for {@code use}.
     *
     * @throws TokenctlException INVALID naming the forms and the range {@code use} accepts
     */
    public static Duration parse(String text, Use use) {
        if (text.isEmpty()) {
            throw fail("empty duration", use);
        }
        if (text.length() > 64) {
            throw fail("duration '" + Text.quoteSafe(text) + "' is too long", use);
        }
        if (text.startsWith("-")) {
            throw fail("negative duration '" + Text.quoteSafe(text) + "'", use);
        }
        long seconds = (text.charAt(0) == 'P' || text.charAt(0) == 'p') ? parseIso(text, use) : parseCompact(text, use);
        if (seconds == 0) {
            throw fail("duration '" + Text.quoteSafe(text) + "' is zero", use);
        }
        Duration duration = Duration.ofSeconds(seconds);
        if (duration.compareTo(MAX) > 0) {
            throw TokenctlException.invalid("duration '" + Text.quoteSafe(text) + "' is longer than the maximum of "
                    + format(MAX) + " (" + use.beyond() + ")");
        }
        return duration;
    }

    /** Formats a duration in the compact form, largest unit first: {@code 30d}, {@code 1d12h}, {@code 90s}. */
    public static String format(Duration duration) {
        long rest = duration.getSeconds();
        if (rest <= 0) {
            throw new IllegalArgumentException("not a positive duration: " + duration);
        }
        StringBuilder out = new StringBuilder();
        // Weeks are not used when formatting: "30d" reads better than "4w2d".
        for (int i = 1; i < UNITS.length; i++) {
            long count = rest / SECONDS[i];
            if (count > 0) {
                out.append(count).append(UNITS[i]);
                rest -= count * SECONDS[i];
            }
        }
        return out.toString();
    }

    private static long parseCompact(String text, Use use) {
        if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw fail("duration '" + Text.quoteSafe(text) + "' has no unit", use);
        }
        Matcher m = PART.matcher(text);
        int position = 0;
        int lastUnit = -1;
        long total = 0;
        while (position < text.length()) {
            if (!m.find(position) || m.start() != position) {
                throw fail("cannot read duration '" + Text.quoteSafe(text) + "'", use);
            }
            String unit = m.group(2);
            int index = unitIndex(text, unit, use);
            if (index <= lastUnit) {
                throw fail("duration '" + Text.quoteSafe(text) + "' repeats a unit or puts a smaller unit first", use);
            }
            lastUnit = index;
            total = add(text, total, m.group(1), SECONDS[index], use);
            position = m.end();
        }
        return total;
    }

    private static int unitIndex(String text, String unit, Use use) {
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return i;
            }
        }
        switch (unit) {
            case "M": case "mo": case "mon": case "month": case "months": case "y": case "Y": case "yr": case "year": case "years":
                throw fail("ambiguous unit '" + Text.quoteSafe(unit) + "' in '" + Text.quoteSafe(text) + "': months and years have no fixed length"
                        + " and M means minutes in some tools", use);
            default:
                throw fail("unknown unit '" + Text.quoteSafe(unit) + "' in '" + Text.quoteSafe(text) + "'", use);
        }
    }

    private static long parseIso(String text, Use use) {
        Matcher m = ISO.matcher(text);
        if (!m.matches() || text.length() == 1 || text.toUpperCase().endsWith("T")) {
            String upper = text.toUpperCase();
            int t = upper.indexOf('T');
            String datePart = t < 0 ? upper : upper.substring(0, t);
            if (datePart.contains("Y") || datePart.contains("M")) {
                throw fail("ISO-8601 duration '" + Text.quoteSafe(text) + "' uses months or years, which have no fixed"
                        + " length (P1M is a month, PT1M a minute)", use);
            }
            throw fail("cannot read ISO-8601 duration '" + Text.quoteSafe(text) + "'", use);
        }
        long total = 0;
        for (int group = 1; group <= 5; group++) {
            if (m.group(group) != null) {
                total = add(text, total, m.group(group), SECONDS[group - 1], use);
            }
        }
        return total;
    }

    private static long add(String text, long total, String digits, long unitSeconds, Use use) {
        // Anything past 19 digits overflows a long; anything past MAX is refused later anyway.
        if (digits.length() > 12) {
            throw fail("duration '" + Text.quoteSafe(text) + "' is too large", use);
        }
        long value = Long.parseLong(digits);
        return total + value * unitSeconds;
    }

    private static TokenctlException fail(String what, Use use) {
        return TokenctlException.invalid(what + " (" + use.accepted() + ")");
    }
}
