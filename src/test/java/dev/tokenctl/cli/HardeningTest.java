package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenctl.core.TokenFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The holes a hostile local user, a careless script and a C locale found, each shown closed:
 * '@' is never special, an enforced filter only narrows, a policy file is one document, YAML
 * reads back as written, a wrong secret tells nothing, stored text never reaches a terminal raw.
 */
class HardeningTest extends OnEachEngine {
    private static final ObjectMapper JSON = new ObjectMapper();

    private String id(String name) throws Exception {
        return JSON.readTree(cli.ok("token", "show", name, "-o", "json").out()).get("id").asText();
    }

    @Test
    void anArgumentStartingWithAtIsNeverReadAsAFileOfOptions() throws Exception {
        Path ops = dir.resolve("ops");
        Files.writeString(ops, "--permission ManageCluster\n");
        cli.ok("token", "create", "--name", "@" + ops, "--permission", "ReadHealthCheck", "--expires-in", "1d");
        JsonNode token = JSON.readTree(cli.ok("token", "show", "-o", "json", "--", "@" + ops).out());
        assertThat(token.get("name").asText()).isEqualTo("@" + ops);
        assertThat(token.get("permissions").toString()).isEqualTo("[\"ReadHealthCheck\"]");
        assertThat(cli.ok("token", "list", "-o", "json").out()).doesNotContain("ManageCluster");
    }

    @Test
    void anEnforcedFilterAddsToATokensOwnFilterAndNeverLoosensIt() {
        cli.ok("ipfilter", "add", "corp", "--rule", "allow 10.0.0.0/8");
        cli.ok("ipfilter", "add", "lab", "--rule", "allow 10.1.0.0/16");
        String token = cli.create("narrow", "--permission", "ReadHealthCheck", "--expires-in", "1d", "--ip-filter", "lab");
        cli.ok("policy", "set", "--enforce-ip-filter", "corp", "--yes");
        // 10.2.0.1 is in corp but outside the token's own filter: denied, in one check and in a batch.
        CliRunner.Result single = cli.runWithInput(token + "\n", "token", "verify", "--ip", "10.2.0.1");
        assertThat(single.code()).as(single.toString()).isEqualTo(1);
        assertThat(single.err()).isEqualTo("denied: ip-denied\n");
        CliRunner.Result batch = cli.runWithInput(token + "\n", "token", "verify", "--batch", "--ip", "10.2.0.1");
        assertThat(batch.out()).isEqualTo("denied: ip-denied\n");
        assertThat(cli.runWithInput(token + "\n", "token", "verify", "--ip", "10.1.2.3").code()).isZero();
        // And the enforced filter still applies: lab widened beyond corp does not let 192.0.2.1 in.
        cli.ok("ipfilter", "update", "lab", "--rule", "allow all");
        assertThat(cli.runWithInput(token + "\n", "token", "verify", "--ip", "192.0.2.1").err()).isEqualTo("denied: ip-denied\n");
        assertThat(cli.runWithInput(token + "\n", "token", "verify").err()).isEqualTo("denied: ip-required\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "max_expiry: 30d\n---\ntokens_enabled: false\n|3",
        "max_expiry: 30d\n...\n---\ntokens_enabled: false\n|4",
        "{\"max_expiry\": \"30d\"}\n{\"tokens_enabled\": false}\n|2",
        "{\"max_expiry\": \"30d\"} garbage\n|1",
        "{\"max_expiry\": \"30d\"}\n]\n|2"})
    void aPolicyFileWithMoreThanOneDocumentIsRefusedNamingTheLine(String caseText) throws Exception {
        String text = caseText.substring(0, caseText.lastIndexOf('|'));
        String line = caseText.substring(caseText.lastIndexOf('|') + 1);
        cli.create("seed");
        String before = cli.snapshot();
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, text);
        CliRunner.Result r = cli.run("policy", "set", "--file", file.toString(), "--yes");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).startsWith("tokenctl: error: policy file ").contains("line " + line).hasLineCount(1);
        assertThat(cli.snapshot()).isEqualTo(before);
    }

    @Test
    void rotationAfterALoweredMaximumGetsTheOldLifetimeCappedAtTheMaximum() throws Exception {
        cli.create("svc", "--permission", "ReadHealthCheck", "--expires-in", "90d");
        cli.create("forever", "--permission", "ReadHealthCheck", "--no-expiry");
        cli.clock.move(Duration.ofDays(1));
        cli.ok("policy", "set", "--max-expiry", "30d", "--yes");
        cli.clock.move(Duration.ofHours(1));
        for (String name : List.of("svc", "forever")) {
            CliRunner.Result rotated = cli.run("token", "rotate", name, "-o", "json");
            assertThat(rotated.code()).as(rotated.toString()).isZero();
            assertThat(JSON.readTree(rotated.out()).get("metadata").get("expires_at").asText())
                    .isEqualTo(CliRunner.START.plus(Duration.ofDays(31)).plus(Duration.ofHours(1)).toString());
        }
        // A lifetime under the maximum is kept as it was.
        cli.create("short", "--permission", "ReadHealthCheck", "--expires-in", "2d");
        JsonNode rotated = JSON.readTree(cli.ok("token", "rotate", "short", "-o", "json").out());
        assertThat(rotated.get("metadata").get("expires_at").asText())
                .isEqualTo(CliRunner.START.plus(Duration.ofDays(3)).plus(Duration.ofHours(1)).toString());
    }

    @Test
    void yamlOutputReadsBackAsTheSameStringsInAYaml11Reader() throws Exception {
        List<String> names = List.of("123", "0x1F", "1:20", "1_000", ".inf", "2026-01-01", "no", "=", "<<", "~", "null",
                "Yes", "off", "-", "a: b", "#x", "1e3", "0o17", "+1", "[x]", "'q'", "tab\tbut no", "a #b", "x ", "30d", "1d12h", "1e3d", "12h30", "7d-x");
        for (String name : names) {
            if (!name.contains("\t") && !name.endsWith(" ")) {
                cli.create(name);
            }
        }
        String yaml = cli.ok("token", "list", "-o", "yaml").out();
        List<Map<String, Object>> tokens = new Yaml().load(yaml);
        assertThat(tokens).extracting(t -> t.get("name")).containsExactlyInAnyOrderElementsOf(
                names.stream().filter(n -> !n.contains("\t") && !n.endsWith(" ")).toList());
        assertThat(tokens).allSatisfy(t -> assertThat(t.get("created_at")).isInstanceOf(String.class));
        // The documented round trip: a filter named 123 enforced, shown as YAML, set from that file.
        cli.ok("ipfilter", "add", "123", "--rule", "allow all");
        cli.ok("policy", "set", "--enforce-ip-filter", "123", "--max-expiry", "30d", "--yes");
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, cli.ok("policy", "show", "-o", "yaml").out());
        Map<String, Object> policy = new Yaml().load(Files.readString(file));
        assertThat(policy.get("enforced_ip_filter")).isEqualTo("123");
        cli.ok("policy", "set", "--enforce-ip-filter", "none");
        CliRunner.Result set = cli.run("policy", "set", "--file", file.toString(), "--yes");
        assertThat(set.code()).as(set.toString()).isZero();
        assertThat(cli.ok("policy", "show", "-o", "json").out()).contains("\"enforced_ip_filter\" : \"123\"");
    }

    @Test
    void aWrongSecretForAKnownIdTellsNothingAboutTheToken() throws Exception {
        String token = cli.create("secret-holder", "--permission", "ManageCluster", "--expires-in", "7d");
        String id = token.substring(0, token.indexOf('~'));
        String forged = new TokenFormat(new SecureRandom()).newToken(id);
        for (String format : List.of("json", "yaml", "text")) {
            CliRunner.Result r = cli.runWithInput(forged + "\n", "token", "verify", "-o", format);
            assertThat(r.code()).as(r.toString()).isEqualTo(1);
            assertThat(r.out() + r.err()).contains("unknown").doesNotContain(id, "secret-holder", "ManageCluster", "2026-12");
            CliRunner.Result batch = cli.runWithInput(forged + "\n", "token", "verify", "--batch", "-o", format);
            assertThat(batch.out() + batch.err()).contains("unknown").doesNotContain(id, "secret-holder", "ManageCluster");
        }
        // The attempt is still audited against the token.
        assertThat(cli.ok("audit", "list", "-o", "json").out()).contains("verify-denied", "secret does not match");
    }

    @Test
    void storedTextReachesTheTerminalEscaped() {
        String rules = "# office \u001b]0;owned\u0007 \u001b[2Kallow 0.0.0.0/0\rdeny all \u202Eevil\nallow 10.0.0.0/8\n";
        cli.ok("ipfilter", "add", "office", "--rule", "allow all");
        CliRunner.Result added = cli.runWithInput(rules, "ipfilter", "update", "office", "--file", "-");
        assertThat(added.code()).as(added.toString()).isZero();
        String shown = cli.ok("ipfilter", "show", "office").out();
        assertThat(shown).doesNotContain("\u001b", "\u0007", "\r", "\u202E")
                .contains("\\u001b]0;owned\\u0007", "\\u000d", "\\u202e", "allow 10.0.0.0/8");
        assertThat(shown.lines()).hasSize(5);
    }

    @Test
    void pathsInErrorsAreEscapedAndATokenPastedAsAPathIsMasked() {
        String token = cli.create("t");
        for (String option : List.of("--token-file", "--secret-out")) {
            List<String> args = option.equals("--token-file") ? List.of("token", "verify", option)
                    : List.of("token", "create", "--name", "n", "--permission", "ReadHealthCheck", "--no-expiry", option);
            for (String path : List.of(dir.resolve("no\u001b[31mdir\nx").resolve("f").toString(), dir.resolve(token).resolve("f").toString())) {
                String[] all = java.util.stream.Stream.concat(args.stream(), java.util.stream.Stream.of(path)).toArray(String[]::new);
                CliRunner.Result r = cli.run(all);
                assertThat(r.code()).as(r.toString()).isEqualTo(2);
                assertThat(r.err()).hasLineCount(1).doesNotContain("\u001b", token.substring(token.indexOf('~')))
                        .contains(option);
            }
        }
        Path policy = dir.resolve("bad\u001b[1m.yaml");
        CliRunner.Result r = cli.run("policy", "set", "--file", policy.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).hasLineCount(1).doesNotContain("\u001b").contains("\\u001b[1m.yaml");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--secret-out", "--token-file"})
    void anEmptyPathIsUsage(String option) throws Exception {
        cli.create("seed");
        String before = cli.snapshot();
        CliRunner.Result r = option.equals("--secret-out")
                ? cli.run("token", "create", "--name", "x", "--permission", "ReadHealthCheck", "--no-expiry", option, "")
                : cli.run("token", "verify", option, "");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).startsWith("tokenctl: error: ").contains(option, "empty").doesNotContain("Exception");
        assertThat(cli.snapshot()).isEqualTo(before);
        CliRunner.Result file = cli.run("policy", "set", "--file", "");
        assertThat(file.code()).as(file.toString()).isEqualTo(2);
        assertThat(file.err()).contains("empty").hasLineCount(1);
    }

    @Test
    void namesAreComparedInComposedFormAndNoneIsReserved() throws Exception {
        String composed = "caf\u00e9-\u00fc";
        String decomposed = "cafe\u0301-u\u0308";
        cli.create(composed);
        CliRunner.Result again = cli.run("token", "create", "--name", decomposed, "--permission", "ReadHealthCheck",
                "--no-expiry");
        assertThat(again.code()).as(again.toString()).isEqualTo(4);
        assertThat(id(decomposed)).isEqualTo(id(composed));
        cli.ok("token", "revoke", decomposed);
        cli.create(decomposed);
        assertThat(JSON.readTree(cli.ok("token", "show", composed, "-o", "json").out()).get("name").asText())
                .isEqualTo(composed);
        for (String reserved : List.of("none", "None")) {
            CliRunner.Result r = cli.run("ipfilter", "add", reserved, "--rule", "allow all");
            assertThat(r.code()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).contains("reserved");
        }
    }

    @Test
    void aByteOrderMarkBeforeATokenIsNotPartOfIt() throws Exception {
        String token = cli.create("bom");
        Path file = dir.resolve("token.txt");
        Files.write(file, ("\uFEFF" + token + "\n").getBytes(StandardCharsets.UTF_8));
        CliRunner.Result r = cli.run("token", "verify", "--token-file", file.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        CliRunner.Result batch = cli.runWithInput("\uFEFF" + token + "\n" + token + "\n", "token", "verify", "--batch");
        assertThat(batch.code()).as(batch.toString()).isZero();
        assertThat(batch.out().lines()).hasSize(2).allMatch(l -> l.startsWith("valid "));
        // And a rules file that starts with one.
        CliRunner.Result rules = cli.runWithInput("\uFEFFallow 10.0.0.0/8\n", "ipfilter", "add", "bom", "--file", "-");
        assertThat(rules.code()).as(rules.toString()).isZero();
    }
}
