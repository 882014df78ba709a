package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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
    }
}
