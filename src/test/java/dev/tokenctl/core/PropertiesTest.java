package dev.tokenctl.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Properties over seeded random inputs (the seed is the repetition number, so a failure is
 * reproducible): what is formatted parses back to the same value, and no input makes a parser
 * throw anything but the domain's error.
 */
class PropertiesTest {
    private static final String ALPHABET = "0123456789dhmswMyPTDHWS.:/-+ ,%abcf\u0000\n\t\u202E１ａ:::allowdeny";

    private static String garbage(Random random, int maxLength) {
        StringBuilder out = new StringBuilder();
        int length = random.nextInt(maxLength);
        for (int i = 0; i < length; i++) {
            out.append(random.nextInt(8) == 0 ? (char) random.nextInt(0x3000) : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    @RepeatedTest(20)
    void durationsRoundTripAndGarbageOnlyEverFailsWithTheDomainError(RepetitionInfo info) {
        Random random = new Random(info.getCurrentRepetition());
        for (int i = 0; i < 2000; i++) {
            Duration d = Duration.ofSeconds(1 + Math.floorMod(random.nextLong(), Durations.MAX.getSeconds()));
            assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
            assertThat(Durations.parse(d.toString())).isEqualTo(d);
            String input = garbage(random, 12);
            try {
                assertThat(Durations.parse(input)).isPositive().isLessThanOrEqualTo(Durations.MAX);
            } catch (TokenctlException e) {
                assertThat(e.kind()).isEqualTo(TokenctlException.Kind.INVALID);
                assertThat(e.getMessage()).doesNotContain("\n", "\u0000");
            }
        }
    }

    @RepeatedTest(20)
    void rulesRoundTripThroughTheirCanonicalText(RepetitionInfo info) {
        Random random = new Random(info.getCurrentRepetition());
        for (int i = 0; i < 500; i++) {
            boolean v4 = random.nextBoolean();
            String address;
            int prefix;
            if (v4) {
                address = random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
                prefix = random.nextInt(33);
            } else {
                StringBuilder a = new StringBuilder();
                for (int g = 0; g < 8; g++) {
                    a.append(g == 0 ? "" : ":").append(Integer.toHexString(random.nextInt(0x10000)));
                }
                address = a.toString();
                prefix = random.nextInt(129);
            }
            String rule = (random.nextBoolean() ? "allow " : "deny ") + address + (random.nextBoolean() ? "/" + prefix : "");
            IpFilter.Parsed first = IpFilter.parse(rule);
            IpFilter.Parsed again = IpFilter.parse(first.text());
            assertThat(again.text()).isEqualTo(first.text());
            assertThat(again.notices()).isEmpty();
            IpFilter filter = new IpFilter("f", first.text(), first.rules(), Instant.EPOCH, Instant.EPOCH);
            // The rule always matches the address it was written with.
            assertThat(filter.evaluate(IpFilter.parseAddress(address)).rule()).isNotNull();
        }
    }

    @RepeatedTest(20)
    void garbageRulesAndAddressesOnlyEverFailWithTheDomainError(RepetitionInfo info) {
        Random random = new Random(info.getCurrentRepetition());
        for (int i = 0; i < 2000; i++) {
            String text = garbage(random, 30);
            try {
                IpFilter.parse(random.nextBoolean() ? "allow " + text : text);
            } catch (TokenctlException e) {
                assertThat(e.kind()).isEqualTo(TokenctlException.Kind.INVALID);
                assertThat(e.getMessage()).doesNotContain("\n", "\u0000");
            }
            try {
                IpFilter.parseAddress(text);
            } catch (TokenctlException e) {
                assertThat(e.kind()).isEqualTo(TokenctlException.Kind.INVALID);
            }
        }
    }

    @RepeatedTest(10)
    void tokensParseBackAndMutationsAreRejectedOffline(RepetitionInfo info) throws Exception {
        Random random = new Random(info.getCurrentRepetition());
        TokenFormat format = new TokenFormat(new SecureRandom());
        for (int i = 0; i < 500; i++) {
            String id = format.newId();
            String token = format.newToken(id);
            assertThat(TokenFormat.parse(token).id()).isEqualTo(id);
            StringBuilder mutated = new StringBuilder(token);
            int at = random.nextInt(token.length());
            char replacement = (char) (random.nextBoolean() ? random.nextInt(128) : random.nextInt(0x3000));
            if (replacement == token.charAt(at)) {
                continue;
            }
            mutated.setCharAt(at, replacement);
            try {
                TokenFormat.parse(mutated.toString());
                // A change in the id part can only pass if the checksum happens to collide.
                assertThat(at).isLessThan(0);
            } catch (TokenFormat.FormatException expected) {
                assertThat(expected.getMessage()).doesNotContain(token.substring(22));
            }
            try {
                TokenFormat.parse(garbage(random, 80));
            } catch (TokenFormat.FormatException expected) {
                assertThat(expected.problem()).isNotNull();
            }
        }
    }
}
