package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed value we could think of, in every place it can be given: each is answered
 * with its exit code, exactly one error line on stderr, no stack trace, nothing on stdout and a
 * store that is byte-for-byte unchanged. Since no case may change the store, all the cases of
 * an engine share one, made and seeded once (a new PostgreSQL database for each of the 273
 * cases took most of the suite's time).
 */
@ParameterizedClass
@EnumSource(Engine.class)
class HostileInputTest {
    @TempDir
    static Path dir;
    private static final Map<Engine, CliRunner> STORES = new EnumMap<>(Engine.class);

    @Parameter
    Engine engine;
    CliRunner cli;

    static final String MEGABYTE = "7".repeat(1 << 20);

    static final List<String> DURATIONS = List.of("", " ", "\t", "0", "30", "0d", "0s", "-1d", "-PT1M", "+1d",
            "1.5d", "1,5d", "3M", "1mo", "1y", "2 weeks", "1month", "P1M", "P1Y", "PT", "P", "P1DT", "1d1d", "1h1d",
            "99999999999d", "9223372036854775807s", "36501d", "１d", "1ｄ", "1\u0000d", "1d\n", "d", "m", "1e3s",
            "0x10d", "١d", MEGABYTE + "d", "\u202E7d", "7d;rm -rf /");
    static final List<String> TIMESTAMPS = List.of("", "tomorrow", "2026-13-01", "2026-02-30", "2026-11-29T25:00Z",
            "2027-01-01T10:00", "2027-01-01T10:00:00", "1700000000", "2020-01-01", "2026-11-29T09:59:59Z",
            "01/02/2027", "2027-01-01Z", "２027-01-01", "2027-01-01T10:00:00+25:00", MEGABYTE);
    static final List<String> ADDRESSES = List.of("", " ", "localhost", "example.com", "10.0.0.256", "10.0.0",
            "10.0.0.0/8", "010.0.0.1", "0x0a000001", "167772161", "fe80::1%eth0", ":::1", "1:2:3:4:5:6:7:8:9",
            "10.0.0.1 ", "１0.0.0.1", "10.0.0.*", "[::1]", "::1/128", MEGABYTE);
    static final List<String> RULES = List.of("", "allow", "deny", "allow example.com", "allow 10.0.0.256",
            "allow 10.0.0.0/33", "allow ::/129", "allow fe80::1%eth0", "10.0.0.0/8", "permit 10.0.0.0/8",
            "allow 10.0.0.0/8 trailing", "Allow 10.0.0.1", "allow 10.0.0.1-10.0.0.9", "allow *", "allow 10.0.0.0/-1",
            "allow 10.0.0.0/", "allow ::ffff:10.0.0.0/95x", "deny al", "allow ａll", "allow 10.0.0.0/8\u0000",
            "# only a comment", "allow " + MEGABYTE);
    static final List<String> PERMISSIONS = List.of("", " ", ",", "ReadHealthCheck,", ",ReadHealthCheck", "Read",
            "ReadHealthCheckX", "ReаdHealthCheck" /* Cyrillic a */, "ReadHealthCheck\u200B", "*", "all",
            "SystemPermission.ReadHealthCheck", MEGABYTE);
    static final List<String> NAMES = List.of("", " ", " padded", "padded ", "line\nbreak", "nul\u0000",
            "esc\u001b[31m", "bidi\u202Eevil", "zero\u200Bwidth", "n".repeat(254), "tctl_reserved", MEGABYTE);

    @BeforeEach
    void seededStore() {
        cli = STORES.computeIfAbsent(engine, e -> {
            CliRunner store = new CliRunner(dir, e);
            store.create("seed");
            assertThat(store.run("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8").code()).isZero();
            return store;
        });
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String d : DURATIONS) {
            cases.add(usage("", "token", "create", "--name", "x", "--permission", "ReadHealthCheck", "--expires-in", d));
            cases.add(usage("", "token", "list", "--expiring-within", d));
            cases.add(usage("", "policy", "set", "--max-expiry", d));
        }
        for (String t : TIMESTAMPS) {
            cases.add(usage("", "token", "create", "--name", "x", "--permission", "ReadHealthCheck", "--expires-at", t));
        }
        for (String a : ADDRESSES) {
            cases.add(usage("", "ipfilter", "test", "office", a));
            cases.add(usage("tctl_0000000000000000~x\n", "token", "verify", "--ip", a));
        }
        for (String r : RULES) {
            cases.add(usage("", "ipfilter", "add", "lab", "--rule", r));
            cases.add(usage(r + "\n", "ipfilter", "update", "office", "--file", "-"));
        }
        for (String p : PERMISSIONS) {
            cases.add(usage("", "token", "create", "--name", "x", "--permission", p, "--no-expiry"));
            cases.add(usage("x\n", "token", "verify", "--require", p));
        }
        for (String n : NAMES) {
            cases.add(usage("", "token", "create", "--name", n, "--permission", "ReadHealthCheck", "--no-expiry"));
        }
        cases.add(usage("", "ipfilter", "add", "bad/name", "--rule", "allow all"));
        cases.add(usage("", "ipfilter", "add", MEGABYTE, "--rule", "allow all"));
        cases.add(usage("", "token", "revoke", "seed", "--reason", "bad\u0000reason"));
        cases.add(usage("", "token", "revoke", "seed", "--reason", MEGABYTE));
        cases.add(usage("", "token", MEGABYTE));
        cases.add(usage("", "--output", "xml", "token", "list"));
        cases.add(usage("", "token", "list", "--status", "dead"));
        cases.add(usage("", "policy", "set", "--tokens-enabled", "yes"));
        cases.add(usage("", "policy", "set", "--default-expiry", "1d", "--max-expiry", "1h"));
        // Token input on stdin: empty, too long, several lines.
        cases.add(usage("", "token", "verify"));
        cases.add(usage("\n\n  \n", "token", "verify"));
        cases.add(usage("x".repeat(10_000), "token", "verify"));
        cases.add(usage("a\nb\n", "token", "verify"));
        cases.add(usage("x".repeat(5000) + "\n", "token", "verify", "--batch"));
        // Malformed tokens are an answer, not a usage error: exit 1, "denied: malformed".
        cases.add(Arguments.of(1, "\u0000\u00ff\u0001binary\n", new String[] {"token", "verify"}));
        cases.add(Arguments.of(1, "tctl_\u202Eevil\n", new String[] {"token", "verify"}));
        cases.add(Arguments.of(3, "", new String[] {"token", "show", MEGABYTE}));
        cases.add(Arguments.of(3, "", new String[] {"token", "revoke", "nul\u0000name"}));
        cases.add(Arguments.of(3, "", new String[] {"ipfilter", "show", "nul\u0000name"}));
        cases.add(Arguments.of(3, "", new String[] {"audit", "list", "--token", "tctl_\u0000"}));
        return cases.stream();
    }

    private static Arguments usage(String stdin, String... args) {
        return Arguments.of(2, stdin, args);
    }

    @ParameterizedTest(name = "[{index}] exit {0}")
    @MethodSource("cases")
    void answeredWithOneErrorLineAndAnUntouchedStore(int expected, String stdin, String[] args) throws Exception {
        String before = cli.snapshot();
        CliRunner.Result r = cli.runWithInput(stdin, args);
        String shown = r.toString().length() > 2000 ? r.toString().substring(0, 2000) : r.toString();
        assertThat(r.code()).as(shown).isEqualTo(expected);
        assertThat(r.out()).as(shown).isEmpty();
        List<String> lines = r.err().lines().toList();
        if (expected == 1) {
            assertThat(lines).as(shown).containsExactly("denied: malformed");
        } else {
            assertThat(lines.get(0)).as(shown).startsWith("tokenctl: error: ");
            assertThat(lines.stream().filter(l -> l.contains("error"))).as(shown).hasSize(1);
            assertThat(lines).as(shown).hasSizeLessThanOrEqualTo(3)
                    .allSatisfy(l -> assertThat(l).doesNotContain("Exception", "\tat ", "\u0000", "\u001b").hasSizeLessThan(1000));
        }
        assertThat(cli.snapshot()).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void theTableHoldsOverAHundredCases() {
        assertThat(cases().count()).isGreaterThan(100);
    }
}
