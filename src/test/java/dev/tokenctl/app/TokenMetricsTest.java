package dev.tokenctl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenctl.core.Expiry;
import dev.tokenctl.core.Permission;
import dev.tokenctl.core.TokenService;
import dev.tokenctl.testing.MovedClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token gauges as a scrape reads them: the expiry series up to a cap, the soonest first, and how many were left out. */
class TokenMetricsTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration WINDOW = Duration.ofDays(30);

    @TempDir
    Path dir;
    private MovedClock clock;
    private Application application;

    @BeforeEach
    void setUp() {
        clock = new MovedClock(START);
        application = new Application(new Environment(Map.of("TOKENCTL_DB", dir.resolve("t.db").toString(),
                "HOME", dir.toString()), clock, new ByteArrayInputStream(new byte[0]), "tester"), warning -> { });
    }

    @AfterEach
    void tearDown() {
        application.close();
    }

    /** Creates a token expiring that long after the start, a second after the one before, and returns its id. */
    private String create(String name, Duration expiresIn, Map<String, String> labels) {
        clock.move(Duration.ofSeconds(1));
        return application.tokens().create(new TokenService.NewToken(name, null, EnumSet.of(Permission.ReadHealthCheck),
                new Expiry.At(START.plus(expiresIn)), null, labels)).token().id();
    }

    private String create(String name, Duration expiresIn) {
        return create(name, expiresIn, Map.of());
    }

    private static String series(String id, String name, Duration expiresIn, String labels) {
        return TokenMetrics.EXPIRY + "{id=\"" + id + "\",name=\"" + name + "\"" + labels + "} "
                + START.plus(expiresIn).getEpochSecond();
    }

    private List<String> write(Map<String, String> labels, int maxSeries) {
        StringBuilder out = new StringBuilder();
        TokenMetrics.write(application, WINDOW, labels, maxSeries, out);
        return out.toString().lines().toList();
    }

    private static List<String> expected(String cap, long active, List<String> series, long omitted) {
        List<String> lines = new ArrayList<>(List.of(
                "# HELP tokenctl_tokens Tokens in the store, by status.",
                "# TYPE tokenctl_tokens gauge",
                "tokenctl_tokens{status=\"active\"} " + active,
                "tokenctl_tokens{status=\"retiring\"} 0",
                "tokenctl_tokens{status=\"expired\"} 0",
                "tokenctl_tokens{status=\"revoked\"} 1",
                "# HELP tokenctl_token_expiry_timestamp_seconds When an active token expires, for tokens expiring"
                        + " within 30 days, as Unix time" + cap,
                "# TYPE tokenctl_token_expiry_timestamp_seconds gauge"));
        lines.addAll(series);
        lines.addAll(List.of(
                "# HELP tokenctl_token_expiry_series_omitted Active tokens expiring within 30 days that have no expiry"
                        + " series, past the series cap.",
                "# TYPE tokenctl_token_expiry_series_omitted gauge",
                "tokenctl_token_expiry_series_omitted " + omitted));
        return lines;
    }

    @Test
    void aCapKeepsTheSeriesOfTheTokensThatExpireSoonestAndCountsTheRest() {
        String day5 = create("day5", Duration.ofDays(5));
        String day1 = create("day1", Duration.ofDays(1));
        String day3 = create("day3", Duration.ofDays(3));
        String day2 = create("day2", Duration.ofDays(2));
        create("day4", Duration.ofDays(4));
        create("later", Duration.ofDays(60));
        application.tokens().revoke(List.of(create("revoked", Duration.ofHours(1))), null);
        application.tokens().create(new TokenService.NewToken("forever", null, EnumSet.of(Permission.ReadHealthCheck),
                new Expiry.Never(), null, Map.of()));

        assertThat(write(Map.of(), 3)).containsExactlyElementsOf(expected("; at most 3 series, the soonest first.", 7,
                List.of(series(day1, "day1", Duration.ofDays(1), ""), series(day2, "day2", Duration.ofDays(2), ""),
                        series(day3, "day3", Duration.ofDays(3), "")), 2));
        assertThat(write(Map.of(), 4)).as("one left out").contains("tokenctl_token_expiry_series_omitted 1")
                .doesNotContain(series(day5, "day5", Duration.ofDays(5), ""));
        assertThat(write(Map.of(), 5)).as("as many as the cap").contains("tokenctl_token_expiry_series_omitted 0",
                series(day5, "day5", Duration.ofDays(5), ""));
    }

    @Test
    void withoutACapEveryTokenExpiringWithinTheWindowHasASeriesSoonestFirst() {
        String day2 = create("day2", Duration.ofDays(2));
        String day1 = create("day1", Duration.ofDays(1));
        application.tokens().revoke(List.of(create("revoked", Duration.ofHours(1))), null);

        assertThat(write(Map.of(), Integer.MAX_VALUE)).containsExactlyElementsOf(expected(".", 2,
                List.of(series(day1, "day1", Duration.ofDays(1), ""), series(day2, "day2", Duration.ofDays(2), "")), 0));
        assertThat(write(Map.of(), 2)).as("a cap no token passes")
                .contains("tokenctl_token_expiry_series_omitted 0", series(day2, "day2", Duration.ofDays(2), ""));
    }

    @Test
    void aCapOnLabelledTokensKeepsTheSoonestAndCountsTheRest() {
        Map<String, String> pay = Map.of("team", "pay");
        create("day4", Duration.ofDays(4), pay);
        create("other1", Duration.ofDays(1), Map.of("team", "search"));
        String day2 = create("day2", Duration.ofDays(2), pay);
        String day3 = create("day3", Duration.ofDays(3), pay);
        create("day6", Duration.ofDays(6), pay);
        create("other5", Duration.ofDays(5));
        application.tokens().revoke(List.of(create("revoked", Duration.ofHours(1), pay)), null);

        assertThat(write(pay, 2)).containsExactlyElementsOf(expected("; at most 2 series, the soonest first.", 6,
                List.of(series(day2, "day2", Duration.ofDays(2), ",label_team=\"pay\""),
                        series(day3, "day3", Duration.ofDays(3), ",label_team=\"pay\"")), 2));
    }

    @Test
    void keysStoredBeforeTheyWereRefusedForSharingAMetricNameGiveTheFirstInKeyOrder() throws Exception {
        String id = create("old", Duration.ofDays(1), Map.of("a.b", "1"));
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
             java.sql.Statement s = c.createStatement()) {
            s.execute("UPDATE tokens SET labels = 'a-b=0\na.b=1\na_b=2\nteam=x\n'");
        }
        assertThat(write(Map.of(), 10)).contains(series(id, "old", Duration.ofDays(1), ",label_a_b=\"0\",label_team=\"x\""));
    }

    @Test
    void aSeriesThatCannotBeWrittenFailsTheWrite() {
        create("day1", Duration.ofDays(1));
        Appendable failing = new Appendable() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public Appendable append(CharSequence csq) throws IOException {
                if (csq.toString().equals("{id=\"")) {
                    throw new IOException("disk full");
                }
                text.append(csq);
                return this;
            }

            @Override
            public Appendable append(CharSequence csq, int start, int end) throws IOException {
                return append(csq.subSequence(start, end));
            }

            @Override
            public Appendable append(char c) throws IOException {
                return append(String.valueOf(c));
            }
        };
        assertThatThrownBy(() -> TokenMetrics.write(application, WINDOW, Map.of(), 3, failing))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("disk full");
    }
}
