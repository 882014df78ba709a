package dev.tokenctl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpFilterTest {

    private static IpFilter filter(String text) {
        IpFilter.Parsed parsed = IpFilter.parse(text);
        return new IpFilter("f", parsed.text(), parsed.rules(), Instant.EPOCH, Instant.EPOCH);
    }

    private static String decide(IpFilter filter, String address) {
        IpFilter.Decision d = filter.evaluate(IpFilter.parseAddress(address));
        return (d.allowed() ? "allow" : "deny") + "@" + (d.rule() == null ? "-" : d.rule().line());
    }

    @ParameterizedTest
    @CsvSource({
        "allow all, 203.0.113.9, allow@1",
        "allow all, 2001:db8::1, allow@1",
        "allow 192.0.2.10, 192.0.2.10, allow@1",
        "allow 192.0.2.10, 192.0.2.11, deny@-",
        "allow 10.0.0.0/8, 10.255.255.255, allow@1",
        "allow 10.0.0.0/8, 11.0.0.0, deny@-",
        "allow 0.0.0.0/0, 198.51.100.1, allow@1",
        "allow 0.0.0.0/0, 2001:db8::1, deny@-",
        "allow 2001:db8::1, 2001:db8:0:0::1, allow@1",
        "allow 2001:db8::/32, 2001:db8:ffff::1, allow@1",
        "allow 2001:db8::/32, 2001:db9::1, deny@-",
        "allow ::/0, ::1, allow@1",
        "allow ::/0, 127.0.0.1, deny@-",
        "allow 10.0.0.0/8, ::ffff:10.1.2.3, allow@1",
        "allow 10.1.2.3, ::ffff:a01:203, allow@1",
        "allow ::ffff:10.0.0.0/104, 10.9.9.9, allow@1",
        "allow fe80::/10, fe80::1, allow@1",
    })
    void eachRuleFormOfBothFamilies(String rule, String address, String expected) {
        assertThat(decide(filter(rule), address)).isEqualTo(expected);
    }

    @Test
    void firstMatchWinsTopToBottomAndNoMatchIsDenied() {
        IpFilter f = filter("# office\n\ndeny 10.0.0.13\nallow 10.0.0.0/24\ndeny all\n");
        assertThat(decide(f, "10.0.0.13")).isEqualTo("deny@3");
        assertThat(decide(f, "10.0.0.14")).isEqualTo("allow@4");
        assertThat(decide(f, "10.0.1.1")).isEqualTo("deny@5");
        assertThat(decide(filter("allow 10.0.0.0/8\ndeny 10.0.0.13\n"), "10.0.0.13")).isEqualTo("allow@1");
        assertThat(decide(filter("allow 192.0.2.0/24"), "198.51.100.7")).isEqualTo("deny@-");
    }

    @Test
    void hostBitsAreClearedAndReported() {
        IpFilter.Parsed parsed = IpFilter.parse("allow 192.168.0.1/24\nallow 2001:db8::1/32\n");
        assertThat(parsed.text()).isEqualTo("allow 192.168.0.0/24\nallow 2001:db8::/32\n");
        assertThat(parsed.notices()).containsExactly(
                "line 1: 192.168.0.1/24 has host bits set; stored as 192.168.0.0/24",
                "line 2: 2001:db8::1/32 has host bits set; stored as 2001:db8::/32");
    }

    @Test
    void commentsAndBlankLinesAreKeptSoLineNumbersStay() {
        IpFilter.Parsed parsed = IpFilter.parse("# header\n\n  allow   10.0.0.0/8  \r\ndeny all");
        assertThat(parsed.text()).isEqualTo("# header\n\nallow 10.0.0.0/8\ndeny all\n");
        assertThat(parsed.rules()).extracting(IpFilter.Rule::line).containsExactly(3, 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"allow example.com", "allow 10.0.0.256", "allow 10.0.0.0/33", "allow ::/129",
        "allow fe80::1%eth0", "10.0.0.0/8", "permit 10.0.0.1", "allow", "allow 10.0.0.1 extra", "ALLOW 10.0.0.1",
        "allow 10.0.0", "allow 010.0.0.1", "allow 10.0.0.*", "allow 10.0.0.1-5", "allow 0x0a.0.0.1", "allow 1:2:3",
        "allow 10.0.0.0/-1", "allow 10.0.0.0/", "allow :::1", "allow １0.0.0.1", "allow 10.0.0.1/8/8", "deny *",
        "allow localhost", "allow 2001:db8::/48%1"})
    void refusesAnythingElseWithTheLineNumberAndText(String bad) {
        assertThatThrownBy(() -> IpFilter.parse("allow 192.0.2.1\n# fine\n" + bad + "\n"))
                .isInstanceOfSatisfying(TokenctlException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TokenctlException.Kind.INVALID);
                    assertThat(e.getMessage()).contains("line 3: '" + Text.quoteSafe(bad) + "'").doesNotContain("\n");
                });
    }

    @Test
    void emptyRuleTextIsRefused() {
        assertThatThrownBy(() -> IpFilter.parse("# only a comment\n")).hasMessageContaining("no rules given");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "10.0.0.0/8", "10.0.0.256", "fe80::1%eth0", "1.2.3", " 10.0.0.1"})
    void addressesAreParsedStrictly(String bad) {
        assertThatThrownBy(() -> IpFilter.parseAddress(bad)).isInstanceOf(TokenctlException.class)
                .hasMessageContaining("invalid IP address");
    }
}
