package dev.tokenctl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The small rules at their edges: escaping, cutting, lengths, timestamps, labels and suggestions. */
class TextAndLimitsTest {
    @Test
    void onlyPrintableAsciiWithoutATildeTakesTheShortWayThroughEscape() {
        assertThat(Text.plain("")).isTrue();
        assertThat(Text.plain(" !az}")).as("from the space to the brace").isTrue();
        assertThat(Text.plain("a~b")).as("a token string may follow").isFalse();
        assertThat(Text.plain("a\u001f")).isFalse();
        assertThat(Text.plain("a\u007f")).isFalse();
        assertThat(Text.plain("caf\u00e9")).isFalse();
        assertThat(Text.escape("caf\u00e9")).as("printable, so unchanged the long way").isEqualTo("caf\u00e9");
    }

    @Test
    void escapeLeavesPlainTextAloneAndEscapesEveryControlCharacter() {
        assertThat(Text.escape(null)).isNull();
        assertThat(Text.escape("plain text ~ with space")).isEqualTo("plain text ~ with space");
        assertThat(Text.escape("\u0001")).isEqualTo("\\u0001");
        assertThat(Text.escape("a\u001f")).isEqualTo("a\\u001f");
        assertThat(Text.escape("a\u007f")).isEqualTo("a\\u007f");
        assertThat(Text.escape("bidi\u202e")).isEqualTo("bidi\\u202e");
        assertThat(Text.escape("tctl_abc~secret")).isEqualTo("tctl_abc~<secret hidden>");
    }

    @Test
    void quoteSafeCutsAfterTheLimitInCharacters() {
        assertThat(Text.quoteSafe("abc", 3)).isEqualTo("abc");
        assertThat(Text.quoteSafe("abcd", 3)).isEqualTo("abc...");
        assertThat(Text.quoteSafe("\uD83D\uDE00\uD83D\uDE00", 1)).as("a character outside the BMP counts once")
                .isEqualTo("\uD83D\uDE00...");
    }

    @Test
    void checkPrintableTakesTheBoundsOfItsLength() {
        assertThat(Text.checkPrintable("field", "ab", 2, 3)).isEqualTo("ab");
        assertThat(Text.checkPrintable("field", "abc", 2, 3)).isEqualTo("abc");
        assertThatThrownBy(() -> Text.checkPrintable("field", "a", 2, 3)).hasMessage("field must be 2-3 characters, got 1 (shorten it)");
        assertThatThrownBy(() -> Text.checkPrintable("field", "abcd", 2, 3)).hasMessage("field must be 2-3 characters, got 4 (shorten it)");
        assertThatThrownBy(() -> Text.checkPrintable("field", "a\u0000b", 0, 10))
                .hasMessage("field contains the unprintable character U+0000 (use printable characters only)");
    }

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertThat(Text.editDistance("", "abc")).isEqualTo(3);
        assertThat(Text.editDistance("abc", "")).isEqualTo(3);
        assertThat(Text.editDistance("kitten", "sitting")).isEqualTo(3);
        assertThat(Text.editDistance("same", "same")).isZero();
    }

    @Test
    void timestampsTakeADateASpaceOrATAndSayWhatIsMissing() {
        assertThat(Timestamps.parse("2026-12-02")).isEqualTo(Instant.parse("2026-12-02T00:00:00Z"));
        assertThat(Timestamps.parse("2026-12-02 10:30:00Z")).isEqualTo(Instant.parse("2026-12-02T10:30:00Z"));
        assertThat(Timestamps.parse("2026-12-02T10:30:00+01:00")).isEqualTo(Instant.parse("2026-12-02T09:30:00Z"));
        assertThatThrownBy(() -> Timestamps.parse("2026-12-02T10:30")).hasMessageContaining("add Z for UTC");
        assertThatThrownBy(() -> Timestamps.parse("2026-12-02 10:30:00")).hasMessageContaining("add Z for UTC");
        assertThatThrownBy(() -> Timestamps.parse("yesterday")).hasMessageStartingWith("cannot read timestamp 'yesterday'")
                .hasMessageNotContaining("add Z");
        assertThatThrownBy(() -> Timestamps.parse("")).hasMessageStartingWith("cannot read timestamp ''");
        assertThatThrownBy(() -> Timestamps.parse("2".repeat(65))).hasMessageContaining("...");
    }

    @Test
    void aLabelWithoutAKeyIsRefusedForItsKey() {
        assertThatThrownBy(() -> Labels.parse("=value", false)).hasMessageStartingWith("label key '' is not valid");
        assertThatThrownBy(() -> Labels.parse("=value", true)).hasMessageStartingWith("label key '' is not valid");
        assertThatThrownBy(() -> Labels.parse("team", false)).hasMessage("label 'team' has no value (write KEY=VALUE)");
        assertThat(Labels.parse("team", true).getValue()).isNull();
        assertThat(Labels.parse("team=", false).getValue()).isEmpty();
        assertThat(Labels.parse("team=" + "v".repeat(Labels.MAX_VALUE), false).getValue()).hasSize(Labels.MAX_VALUE);
        assertThatThrownBy(() -> Labels.parse("team=" + "v".repeat(Labels.MAX_VALUE + 1), false))
                .hasMessageContaining("must be 0-253 characters");
    }

    @Test
    void everyPermissionHasALabelAndADescription() {
        for (Permission p : Permission.values()) {
            assertThat(p.label()).as(p.name()).isNotBlank();
            assertThat(p.description()).as(p.name()).isNotBlank();
        }
        assertThat(Permission.ReadHealthCheck.label()).isEqualTo("Read cluster health check");
        assertThat(Permission.ReadHealthCheck.description()).isEqualTo("read the cluster health-check output");
    }

    @Test
    void suggestionsTakePartsOfFourLettersAndNamesWithinAThirdOfTheirLength() {
        assertThatThrownBy(() -> Permission.parse("clus")).hasMessageContaining("ManageCluster");
        assertThatThrownBy(() -> Permission.parse("clu")).hasMessageNotContaining("ManageCluster");
        assertThatThrownBy(() -> Permission.parse("patchgxxxal")).as("3 of 11 changed").hasMessageContaining("PatchGlobal");
        assertThatThrownBy(() -> Permission.parse("patcxxxxal")).as("4 of 11 changed").hasMessageNotContaining("PatchGlobal");
    }

    @Test
    void aParsedTokenNeverShowsItsSecret() throws Exception {
        TokenFormat format = new TokenFormat(new java.security.SecureRandom());
        String token = format.newToken("tctl_0123456789abcdef");
        TokenFormat.Parsed parsed = TokenFormat.parse(token);
        assertThat(parsed.toString()).isEqualTo("Parsed[id=tctl_0123456789abcdef, secret=<hidden>]");
        assertThatThrownBy(() -> TokenFormat.parse("nonsense")).hasMessage("malformed token");
        String bad = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        assertThatThrownBy(() -> TokenFormat.parse(bad)).hasMessage("token checksum does not match");
    }

    @Test
    void storeCountsAddUpToTheTokens() {
        assertThat(new Store.Counts(1, 2, 3, 4, 50, 60).tokens()).isEqualTo(10);
    }

    @Test
    void ipFilterNamesAndTextAtTheirLimits() {
        assertThat(IpFilter.checkName("office-1")).isEqualTo("office-1");
        String text = "allow 10.0.0.0/8\n";
        String exact = text + "#".repeat(IpFilter.MAX_TEXT - text.length());
        assertThat(IpFilter.parse(exact).rules()).hasSize(1);
        assertThatThrownBy(() -> IpFilter.parse(exact + "#")).hasMessageContaining("longer than");
    }

    @Test
    void anIpv4MappedRangeIsStoredAsTheIpv4RangeItMeans() {
        IpFilter.Parsed mapped = IpFilter.parse("allow ::ffff:10.0.0.0/104\nallow ::ffff:192.0.2.1\nallow ::ffff:0:0/96\n");
        assertThat(mapped.text()).isEqualTo("allow 10.0.0.0/8\nallow 192.0.2.1\nallow 0.0.0.0/0\n");
        assertThat(mapped.notices()).hasSize(3).allMatch(n -> n.contains("is IPv4-mapped"));
        IpFilter.Parsed wider = IpFilter.parse("allow ::ffff:0:0/95\n");
        assertThat(wider.notices()).noneMatch(n -> n.contains("IPv4-mapped"));
    }
}
