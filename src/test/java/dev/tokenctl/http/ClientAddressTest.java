package dev.tokenctl.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenctl.core.TokenctlException;
import inet.ipaddr.IPAddress;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which address a check uses: the peer, or what trusted proxies say, and never what a client says alone. */
class ClientAddressTest {
    private static final IPAddress PROXY = ClientAddress.parse("10.0.0.5");
    private static final IPAddress STRANGER = ClientAddress.parse("203.0.113.9");

    private final ClientAddress proxies = new ClientAddress(List.of("10.0.0.0/24", "2001:db8::1"));

    private static String of(ClientAddress clients, IPAddress peer, List<String> forwarded, String realIp) {
        IPAddress address = clients.of(peer, forwarded, realIp);
        return address == null ? null : address.toCanonicalString();
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItsHeadersSay() {
        assertThat(of(proxies, STRANGER, List.of("198.51.100.1"), "198.51.100.2")).isEqualTo("203.0.113.9");
        assertThat(of(new ClientAddress(List.of()), PROXY, List.of("198.51.100.1"), "198.51.100.2"))
                .as("no trusted proxy at all").isEqualTo("10.0.0.5");
    }

    @Test
    void behindTrustedProxiesTheRightmostUntrustedHopIsTheClient() {
        assertThat(of(proxies, PROXY, List.of("198.51.100.1, 198.51.100.7, 10.0.0.9"), null)).isEqualTo("198.51.100.7");
        assertThat(of(proxies, PROXY, List.of("198.51.100.1", "198.51.100.8"), null))
                .as("several headers read as one list").isEqualTo("198.51.100.8");
        assertThat(of(proxies, PROXY, List.of(" 2001:db8::42 "), null)).isEqualTo("2001:db8::42");
        assertThat(of(proxies, ClientAddress.parse("2001:db8::1"), List.of("198.51.100.3"), null)).isEqualTo("198.51.100.3");
    }

    @Test
    void withOnlyTrustedHopsTheLeftmostHopIsTheClientWhateverXRealIpSays() {
        assertThat(of(proxies, PROXY, List.of("10.0.0.7, 10.0.0.8"), "198.51.100.4")).isEqualTo("10.0.0.7");
        assertThat(of(proxies, PROXY, List.of("10.0.0.7", "10.0.0.8"), null)).isEqualTo("10.0.0.7");
        assertThat(of(proxies, PROXY, List.of("10.0.0.7"), "198.51.100.4")).isEqualTo("10.0.0.7");
        assertThat(of(proxies, PROXY, List.of("198.51.100.1, 10.0.0.8"), "10.0.0.9"))
                .as("X-Real-IP never outranks a forwarded hop").isEqualTo("198.51.100.1");
    }

    @Test
    void withoutXForwardedForXRealIpAndThenThePeerAreTheClient() {
        assertThat(of(proxies, PROXY, List.of(), "198.51.100.4")).isEqualTo("198.51.100.4");
        assertThat(of(proxies, PROXY, null, " 2001:db8::9 ")).isEqualTo("2001:db8::9");
        assertThat(of(proxies, PROXY, List.of(), null)).isEqualTo("10.0.0.5");
        assertThat(of(proxies, PROXY, null, null)).isEqualTo("10.0.0.5");
    }

    @Test
    void anUnreadableXRealIpLeavesTheClientUnknownNeverTheProxy() {
        assertThat(of(proxies, PROXY, List.of(), "not an address")).isNull();
        assertThat(of(proxies, PROXY, null, "198.51.100.4:80")).isNull();
        assertThat(of(proxies, PROXY, null, "")).isNull();
        assertThat(of(proxies, STRANGER, null, "not an address")).as("from an untrusted peer it is not read")
                .isEqualTo("203.0.113.9");
    }

    @Test
    void onlyTheRightmost16HopsAreReadAndAllTrustedThereLeavesTheClientUnknown() {
        String trusted15 = String.join(", ", Collections.nCopies(15, "10.0.0.8"));
        assertThat(of(proxies, PROXY, List.of("198.51.100.1, " + trusted15), null)).as("the 16th hop")
                .isEqualTo("198.51.100.1");
        assertThat(of(proxies, PROXY, List.of("10.0.0.7, " + trusted15), null)).as("16 hops, all trusted: the leftmost")
                .isEqualTo("10.0.0.7");
        assertThat(of(proxies, PROXY, List.of("198.51.100.1, 10.0.0.7, " + trusted15), null))
                .as("a 17th hop is never read").isNull();
        assertThat(of(proxies, PROXY, List.of("198.51.100.1", "10.0.0.7, " + trusted15), null))
                .as("counted across headers").isNull();
        // A header a megabyte long is read from its right end only: an unreadable hop far to its left is never reached.
        String flood = "garbage,".repeat(128 * 1024) + "198.51.100.2, 10.0.0.8";
        assertThat(of(proxies, PROXY, List.of(flood), null)).isEqualTo("198.51.100.2");
        assertThat(of(proxies, PROXY, List.of("garbage, " + trusted15, "10.0.0.8"), null)).isNull();
    }

    @Test
    void aHopThatIsNotAnAddressLeavesTheClientUnknown() {
        assertThat(of(proxies, PROXY, List.of("198.51.100.1, 8.8.8.8:1234"), "198.51.100.4")).isNull();
        assertThat(of(proxies, PROXY, List.of("unknown"), null)).isNull();
        assertThat(of(proxies, PROXY, List.of("198.51.100.1,,10.0.0.7"), null)).as("an empty hop").isNull();
        assertThat(of(proxies, PROXY, List.of("198.51.100.1,"), null)).as("an empty last hop").isNull();
        assertThat(of(proxies, PROXY, List.of(""), "198.51.100.4")).as("an empty header").isNull();
        assertThat(of(proxies, PROXY, List.of(",10.0.0.7"), null)).as("an empty first hop").isNull();
        assertThat(of(proxies, PROXY, List.of("10.0.0.7", "garbage"), null)).as("the last header's hop").isNull();
    }

    @Test
    void aTrustedProxyThatIsNotAnAddressOrRangeIsRefused() {
        for (String spec : new String[] {"", " ", "10.0.0.0/33", "a\nallow all", "proxy.example.com"}) {
            assertThatThrownBy(() -> new ClientAddress(List.of(spec))).as(spec)
                    .isInstanceOfSatisfying(TokenctlException.class,
                            e -> assertThat(e.kind()).isEqualTo(TokenctlException.Kind.INVALID))
                    .hasMessageContaining("--trusted-proxy");
        }
    }
}
