package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Times as people read them in tables and in show: local, in the zone's offset of that day. */
class TimesTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant NOW = Instant.parse("2026-06-01T10:05:30Z");

    @Test
    void localTimeIsInTheOffsetOfItsOwnDayToTheMinuteWithHowFarAway() {
        assertThat(Times.local(Instant.parse("2026-07-01T10:05:59Z"), NOW, BERLIN, "never"))
                .isEqualTo("2026-07-01 12:05 (in 30d)");
        assertThat(Times.local(Instant.parse("2026-01-05T23:30:00Z"), NOW, BERLIN, "never"))
                .as("winter time, past midnight locally").isEqualTo("2026-01-06 00:30 (146d ago)");
        assertThat(Times.local(Instant.parse("0999-03-04T05:06:00Z"), NOW, ZoneOffset.UTC, "-"))
                .startsWith("0999-03-04 05:06 (");
        assertThat(Times.local(null, NOW, BERLIN, "never")).isEqualTo("never");
    }

    @Test
    void dateIsTheLocalDay() {
        assertThat(Times.date(Instant.parse("2026-12-31T23:30:00Z"), BERLIN)).isEqualTo("2027-01-01");
        assertThat(Times.date(Instant.parse("2026-12-31T23:30:00Z"), ZoneOffset.UTC)).isEqualTo("2026-12-31");
        assertThat(Times.date(Instant.parse("1969-12-31T23:59:59Z"), ZoneOffset.UTC)).isEqualTo("1969-12-31");
    }

    @Test
    void dayIsWhatLocalDateWritesForEveryDayOfYearsZeroTo9999AndBeyond() {
        long first = LocalDate.of(0, 1, 1).toEpochDay();
        long last = LocalDate.of(9999, 12, 31).toEpochDay();
        for (long day = first - 800; day <= last + 800; day++) {
            String expected = LocalDate.ofEpochDay(day).toString();
            if (!Times.day(day).equals(expected)) {
                assertThat(Times.day(day)).as("epoch day %d", day).isEqualTo(expected);
            }
        }
        assertThat(Times.day(0)).isEqualTo("1970-01-01");
        assertThat(Times.day(-1)).isEqualTo("1969-12-31");
        assertThat(Times.day(LocalDate.of(2024, 2, 29).toEpochDay())).isEqualTo("2024-02-29");
        assertThat(Times.day(LocalDate.of(10_000, 1, 1).toEpochDay())).isEqualTo("+10000-01-01");
        assertThat(Times.day(LocalDate.of(-1, 12, 31).toEpochDay())).isEqualTo("-0001-12-31");
    }

    @Test
    void relativeTimeIsInTheLargestUnitThatFitsRoundedToTheNearest() {
        assertThat(Times.relative(NOW.plusSeconds(59), NOW, false)).isEqualTo("in <1m");
        assertThat(Times.relative(NOW.plusSeconds(59), NOW, true)).isEqualTo("in less than a minute");
        assertThat(Times.relative(NOW, NOW, false)).isEqualTo("now");
        assertThat(Times.relative(NOW.minusSeconds(30), NOW, true)).isEqualTo("just now");
        assertThat(Times.relative(NOW.minusSeconds(60), NOW, false)).isEqualTo("1m ago");
        assertThat(Times.relative(NOW.minusSeconds(60), NOW, true)).isEqualTo("1 minute ago");
        assertThat(Times.relative(NOW.plusSeconds(89 * 60 + 59), NOW, false)).isEqualTo("in 1h");
        assertThat(Times.relative(NOW.plusSeconds(90 * 60), NOW, true)).isEqualTo("in 2 hours");
        assertThat(Times.relative(NOW.minusSeconds(3599), NOW, false)).isEqualTo("60m ago");
        assertThat(Times.relative(NOW.plusSeconds(86_400 + 43_199), NOW, false)).isEqualTo("in 1d");
        assertThat(Times.relative(NOW.minusSeconds(3 * 86_400), NOW, true)).isEqualTo("3 days ago");
        assertThat(Times.relative(NOW.plusNanos(1), NOW, false)).as("a nanosecond ahead").isEqualTo("in <1m");
        assertThat(Times.relative(NOW.minusNanos(1), NOW, false)).isEqualTo("now");
        assertThat(Times.relative(NOW.plusSeconds(90).minusNanos(1), NOW, false)).isEqualTo("in 1m");
        assertThat(Times.relative(NOW.minusSeconds(90).plusNanos(1), NOW, false))
                .as("89.9 s ago: Duration's seconds round down to -90").isEqualTo("2m ago");
        assertThat(Times.relative(NOW.minusSeconds(89), NOW, false)).isEqualTo("1m ago");
    }
}
