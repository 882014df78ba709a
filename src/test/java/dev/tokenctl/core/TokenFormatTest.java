package dev.tokenctl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenFormatTest {
    private final TokenFormat format = new TokenFormat(new SecureRandom());

    @Test
    void tokenHasPrefixIdSecretAndChecksum() throws Exception {
        String id = format.newId();
        String token = format.newToken(id);
        assertThat(token).matches("tctl_[0-9A-Za-z]{16}~[0-9A-Za-z]{49}").hasSize(TokenFormat.LENGTH);
        TokenFormat.Parsed parsed = TokenFormat.parse(token);
        assertThat(parsed.id()).isEqualTo(id);
        assertThat(parsed.secret()).hasSize(49);
        assertThat(parsed.toString()).doesNotContain(parsed.secret());
        assertThat(TokenFormat.looksLikeId(id)).isTrue();
    }

    @Test
    void secretCarriesAtLeast256Bits() {
        assertThat(TokenFormat.SECRET_RANDOM * Math.log(62) / Math.log(2)).isGreaterThanOrEqualTo(256);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(format.newToken("tctl_0000000000000000"))).isTrue();
        }
    }

    @Test
    void everySingleCharacterTypoIsCaughtByTheChecksum() throws Exception {
        String token = format.newToken(format.newId());
        int tilde = token.indexOf('~');
        for (int i = tilde + 1; i < token.length(); i++) {
            char replacement = token.charAt(i) == 'a' ? 'b' : 'a';
            String typo = token.substring(0, i) + replacement + token.substring(i + 1);
            assertThatThrownBy(() -> TokenFormat.parse(typo))
                    .isInstanceOfSatisfying(TokenFormat.FormatException.class,
                            e -> assertThat(e.problem()).isEqualTo(TokenFormat.Problem.BAD_CHECKSUM));
        }
        String swappedId = token.substring(0, 6) + (token.charAt(6) == 'a' ? 'b' : 'a') + token.substring(7);
        assertThatThrownBy(() -> TokenFormat.parse(swappedId)).isInstanceOf(TokenFormat.FormatException.class);
    }

    @Test
    void shapesThatAreNotTokensAreMalformed() {
        String token = format.newToken(format.newId());
        for (String bad : new String[] {"", "x", token.substring(1), token + "a", token.replace('~', '-'),
            "ghp_" + token.substring(4), token.substring(0, 30) + "!" + token.substring(31), token.toUpperCase()}) {
            assertThatThrownBy(() -> TokenFormat.parse(bad))
                    .isInstanceOfSatisfying(TokenFormat.FormatException.class, e -> {
                        assertThat(e.problem()).isNotNull();
                        assertThat(e.getMessage()).doesNotContain(token.substring(22));
                    });
        }
    }

    @Test
    void digestIsSha256AndComparedWhole() {
        byte[] a = TokenFormat.digest("secret");
        assertThat(a).hasSize(32);
        assertThat(TokenFormat.digestsMatch(a, TokenFormat.digest("secret"))).isTrue();
        assertThat(TokenFormat.digestsMatch(a, TokenFormat.digest("secreT"))).isFalse();
    }

    /**
     * A character just outside the base-62 ranges is malformed even with a checksum that fits it
     * (the checksum alone would pass it), and one at each end of the ranges is taken.
     */
    @Test
    void onlyBase62CharactersAreTakenWhateverTheChecksumSays() throws Exception {
        String token = format.newToken(format.newId());
        int tilde = token.indexOf('~');
        for (int at : new int[] {TokenFormat.ID_PREFIX.length() + 3, tilde + 5}) {
            for (char c : new char[] {'/', ':', '@', '[', '`', '{', ' ', '~'}) {
                String body = token.substring(0, at) + c + token.substring(at + 1, TokenFormat.LENGTH - TokenFormat.CHECKSUM);
                String bad = body + TokenFormat.checksum(body);
                assertThatThrownBy(() -> TokenFormat.parse(bad)).as("'%s' at %d", c, at)
                        .isInstanceOfSatisfying(TokenFormat.FormatException.class,
                                e -> assertThat(e.problem()).isEqualTo(TokenFormat.Problem.MALFORMED));
            }
            for (char c : new char[] {'0', '9', 'A', 'Z', 'a', 'z'}) {
                String body = token.substring(0, at) + c + token.substring(at + 1, TokenFormat.LENGTH - TokenFormat.CHECKSUM);
                assertThat(TokenFormat.parse(body + TokenFormat.checksum(body)).id()).as("'%s' at %d", c, at)
                        .isEqualTo(body.substring(0, tilde));
            }
        }
    }
}
