package dev.tokenctl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "30m, PT30M", "12h, PT12H", "7d, PT168H", "2w, PT336H", "1d12h, PT36H", "1w2d3h4m5s, PT219H4M5S",
        "90s, PT1M30S", "PT30M, PT30M", "P7D, PT168H", "P1DT12H, PT36H", "P2W, PT336H", "pt1m, PT1M",
        "36500d, PT876000H"
    })
    void acceptsCompactAndIsoForms(String text, String expected) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0d", "0m0s", "PT0S", "-5d", "-PT5M", "30", "7", "3M", "1mo", "2y", "1month", "P1M", "P1Y",
        "P1Y2D", "5x", "5 d", " 5d", "5d ", "1d1d", "12h1d", "99999999999d", "36501d", "9223372036854775807s",
        "P", "PT", "P1DT", "d", "1.5h", "PT0.5S", "５d", "1d\n", "1\u0000d", "+5d"})
    void refusesWithAMessageSayingWhatIsAccepted(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOfSatisfying(TokenctlException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TokenctlException.Kind.INVALID);
                    assertThat(e.getMessage()).doesNotContain("\n").contains("(");
                });
    }

    @Test
    void namesTheAmbiguousUnit() {
        assertThatThrownBy(() -> Durations.parse("3M")).hasMessageContaining("ambiguous unit 'M'")
                .hasMessageContaining("7d");
        assertThatThrownBy(() -> Durations.parse("P1M")).hasMessageContaining("PT1M a minute");
        assertThatThrownBy(() -> Durations.parse("30")).hasMessageContaining("has no unit");
        assertThatThrownBy(() -> Durations.parse("9")).hasMessageContaining("has no unit");
        assertThatThrownBy(() -> Durations.parse("0")).hasMessageContaining("has no unit");
    }

    @Test
    void formatsLargestUnitFirstAndRoundTrips() {
        assertThat(Durations.format(Duration.ofDays(30))).isEqualTo("30d");
        assertThat(Durations.format(Duration.ofHours(36))).isEqualTo("1d12h");
        assertThat(Durations.format(Duration.ofSeconds(3661))).isEqualTo("1h1m1s");
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            Duration d = Duration.ofSeconds(1 + (long) (random.nextDouble() * Durations.MAX.getSeconds()));
            assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
        }
    }

    /** The limits themselves: 64 characters, 12 digits a number, and nothing formatted that is not positive. */
    @Test
    void theLimitsAreWhereTheySay() {
        String longest = "000000000001w000000000001d000000000001h000000000001m00000000001s";
        assertThat(longest).hasSize(64);
        assertThat(Durations.parse(longest)).isEqualTo(Duration.ofSeconds(604_800 + 86_400 + 3_600 + 60 + 1));
        assertThatThrownBy(() -> Durations.parse(longest + "0")).hasMessageContaining("too long");
        assertThat(Durations.parse("000000000007d")).isEqualTo(Duration.ofDays(7));
        assertThatThrownBy(() -> Durations.parse("0000000000007d")).hasMessageContaining("too large");
        assertThat(Durations.parse("PT000000000001S")).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> Durations.parse("PT0000000000001S")).hasMessageContaining("too large");
        assertThat(Durations.parse("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(Durations.format(Duration.ofSeconds(1))).isEqualTo("1s");
        assertThatThrownBy(() -> Durations.format(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Durations.format(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(Durations.parse("36500d")).isEqualTo(Durations.MAX);
        assertThatThrownBy(() -> Durations.parse("36500d1s")).hasMessageContaining("longer than the maximum");
    }

    @Test
    void anIsoDurationWithoutMonthsOrYearsThatCannotBeReadSaysSo() {
        for (String text : new String[] {"P1X", "PT1D", "P1DT1X"}) {
            assertThatThrownBy(() -> Durations.parse(text)).as(text).hasMessageContaining("cannot read ISO-8601 duration")
                    .hasMessageNotContaining("months");
        }
        assertThatThrownBy(() -> Durations.parse("P1Y")).hasMessageContaining("months or years");
        assertThatThrownBy(() -> Durations.parse("P1DT1M1Y")).hasMessageContaining("cannot read ISO-8601 duration");
    }

    @Test
    void eachUseNamesItsOwnRangeAndWayOut() {
        Durations.Use since = new Durations.Use("24h, 7d", "all for every event", "omit --since for every event");
        assertThat(Durations.parse("7d", since)).isEqualTo(Duration.ofDays(7));
        assertThatThrownBy(() -> Durations.parse("36501d", since)).hasMessage("duration '36501d' is longer than the"
                + " maximum of 36500d (omit --since for every event)");
        assertThatThrownBy(() -> Durations.parse("3M", since)).hasMessageEndingWith("(use 1s to 36500d as a number with"
                + " a unit w, d, h, m or s, e.g. 24h, 7d, or ISO-8601 such as PT30M or P7D; or all for every event)");
        for (String text : new String[] {"", "x", "0s", "-1d", "30", "1d1d", "P1M", "P1X", "1y", "0000000000007d",
            "7".repeat(65)}) {
            assertThatThrownBy(() -> Durations.parse(text, since)).as(text)
                    .hasMessageEndingWith("; or all for every event)").hasMessageNotContaining("--no-expiry");
        }
        assertThatThrownBy(() -> Durations.parse("36501d")).hasMessageEndingWith("(use --no-expiry for a token that"
                + " never expires)");
        assertThatThrownBy(() -> Durations.parse("x")).hasMessageEndingWith("e.g. 30m, 12h, 7d, 2w, 1d12h, or ISO-8601"
                + " such as PT30M or P7D)");
    }

    @Test
    void aPolicyDurationNamesWhatNoneMeansForIt() {
        assertThatThrownBy(() -> PolicySetting.MAX_EXPIRY.parse("36501d")).hasMessageEndingWith("(use none for no maximum)");
        assertThatThrownBy(() -> PolicySetting.MAX_EXPIRY.parse("x")).hasMessageEndingWith("; or none for no maximum)");
        assertThatThrownBy(() -> PolicySetting.DEFAULT_EXPIRY.parse("36501d"))
                .hasMessageEndingWith("(use none for no default, and each token its own expiry)");
        assertThatThrownBy(() -> PolicySetting.DEFAULT_EXPIRY.parse("x")).hasMessageEndingWith("; or none for no default)");
        assertThatThrownBy(() -> PolicySetting.MAX_ROTATION_GRACE.parse("36501d")).hasMessageEndingWith("(use 36500d or less)");
        assertThatThrownBy(() -> PolicySetting.MAX_ROTATION_GRACE.parse("x"))
                .hasMessageEndingWith("; or none to allow no grace)");
        assertThat(PolicySetting.MAX_ROTATION_GRACE.parse("none")).isNull();
    }

    @Test
    void labelValuesThatCouldReadAsOtherLabelsAreQuoted() {
        Map<String, String> labels = new java.util.TreeMap<>(Map.of("a", "plain-v.1", "b", "x,y", "c", "k=v", "d", "two words",
                "e", "say \"hi\"", "f", "back\\slash", "g", "", "h", "bell\u0007", "i", "nb\u00a0sp",
                "k", "caf\u00e9"));
        assertThat(Labels.format(labels)).isEqualTo("a=plain-v.1,b=\"x,y\",c=\"k=v\",d=\"two words\",e=\"say \\\"hi\\\"\","
                + "f=\"back\\\\slash\",g=\"\",h=\"bell\\u0007\",i=\"nb\u00a0sp\",k=caf\u00e9");
        Map<String, String> selector = new java.util.LinkedHashMap<>();
        selector.put("team", null);
        selector.put("env", "a,b");
        assertThat(Labels.format(selector)).isEqualTo("team,env=\"a,b\"");
    }
}
