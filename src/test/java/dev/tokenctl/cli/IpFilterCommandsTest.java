package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class IpFilterCommandsTest extends OnEachEngine {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void addFromFileOrStdinKeepsLineNumbersAndReportsHostBits() throws Exception {
        Path rules = dir.resolve("office.rules");
        Files.writeString(rules, "# office\ndeny 10.20.0.13\nallow 10.20.0.1/16\nallow 2001:db8:20::/48\n");
        CliRunner.Result added = cli.ok("ipfilter", "add", "office", "--file", rules.toString());
        assertThat(added.err()).isEqualTo("tokenctl: note: line 3: 10.20.0.1/16 has host bits set; stored as 10.20.0.0/16\n");
        assertThat(added.out()).contains("    3  allow 10.20.0.0/16");

        CliRunner.Result test = cli.ok("ipfilter", "test", "office", "10.20.5.5");
        assertThat(test.out()).isEqualTo("allow 10.20.5.5 (line 3: allow 10.20.0.0/16)\n");
        CliRunner.Result denied = cli.run("ipfilter", "test", "office", "10.20.0.13");
        assertThat(denied.code()).isEqualTo(1);
        assertThat(denied.out()).isEqualTo("deny 10.20.0.13 (line 2: deny 10.20.0.13)\n");
        CliRunner.Result fallthrough = cli.run("ipfilter", "test", "office", "2001:db8:21::1");
        assertThat(fallthrough.code()).isEqualTo(1);
        assertThat(fallthrough.out()).contains("no rule matched");
        assertThat(cli.ok("ipfilter", "test", "office", "::ffff:10.20.1.1").out()).startsWith("allow ::ffff:10.20.1.1");
        JsonNode json = JSON.readTree(cli.ok("ipfilter", "test", "office", "2001:db8:20::5", "-o", "json").out());
        assertThat(json.get("allowed").asBoolean()).isTrue();
        assertThat(json.get("line").asInt()).isEqualTo(4);

        assertThat(cli.runWithInput("allow all\n", "ipfilter", "add", "open", "--file", "-").code()).isZero();
        assertThat(cli.ok("ipfilter", "list").out()).contains("office", "open");
    }

    @Test
    void badRulesAreRefusedWithLineAndTextAndNothingIsStored() throws Exception {
        cli.ok("ipfilter", "add", "seed", "--rule", "allow all");
        String before = cli.snapshot();
        CliRunner.Result r = cli.run("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8", "--rule", "allow gateway.local");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("tokenctl: error: invalid address or range on line 2: 'allow gateway.local'"
                + " (use all, an IPv4 or IPv6 address, or a CIDR range such as 10.0.0.0/8 or fd00::/8; no hostnames)\n");
        assertThat(cli.snapshot()).isEqualTo(before);
        assertThat(cli.run("ipfilter", "add", "bad name", "--rule", "allow all").code()).isEqualTo(2);
        assertThat(cli.run("ipfilter", "add", "seed", "--rule", "allow all").code()).isEqualTo(4);
        assertThat(cli.run("ipfilter", "add", "x").code()).isEqualTo(2);
        assertThat(cli.run("ipfilter", "add", "x", "--rule", "allow all", "--file", "f").code()).isEqualTo(2);
        assertThat(cli.run("ipfilter", "test", "seed", "not-an-ip").code()).isEqualTo(2);
        assertThat(cli.run("ipfilter", "test", "nope", "10.0.0.1").code()).isEqualTo(3);
        assertThat(cli.snapshot()).isEqualTo(before);
    }

    @Test
    void severalRulesFollowOneRuleOptionOrEachHaveTheirOwn() {
        assertThat(cli.ok("ipfilter", "add", "a", "--rule", "deny 10.0.0.1", "allow 10.0.0.0/8").out())
                .contains("    1  deny 10.0.0.1", "    2  allow 10.0.0.0/8");
        assertThat(cli.ok("ipfilter", "add", "b", "--rule", "deny 10.0.0.1", "--rule", "allow 10.0.0.0/8", "-o", "json")
                .out()).contains("\"deny 10.0.0.1\", \"allow 10.0.0.0/8\"");
    }

    @Test
    void updateTakesEffectAtOnceForBoundTokens() {
        cli.ok("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8");
        String token = cli.create("gw", "--permission", "ReadHealthCheck", "--no-expiry", "--ip-filter", "office");
        assertThat(cli.runWithInput(token, "token", "verify", "--ip", "10.1.1.1").code()).isZero();
        assertThat(cli.runWithInput(token, "token", "verify").err()).isEqualTo("denied: ip-required\n");
        cli.ok("ipfilter", "update", "office", "--rule", "deny 10.1.0.0/16", "--rule", "allow 10.0.0.0/8");
        assertThat(cli.runWithInput(token, "token", "verify", "--ip", "10.1.1.1").err()).isEqualTo("denied: ip-denied\n");
        assertThat(cli.runWithInput(token, "token", "verify", "--ip", "10.2.1.1").code()).isZero();
        assertThat(cli.run("ipfilter", "update", "nope", "--rule", "allow all").code()).isEqualTo(3);
        assertThat(cli.ok("audit", "list").out()).contains("rules: allow 10.0.0.0/8 -> deny 10.1.0.0/16, allow 10.0.0.0/8");
        assertThat(cli.run("token", "create", "--name", "x", "--permission", "ReadHealthCheck", "--no-expiry",
                "--ip-filter", "nope").code()).isEqualTo(3);
    }

    @Test
    void removeIsRefusedWhileTokensOrThePolicyUseTheFilter() {
        cli.ok("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8");
        cli.create("gw", "--permission", "ReadHealthCheck", "--no-expiry", "--ip-filter", "office");
        CliRunner.Result byToken = cli.run("ipfilter", "remove", "office");
        assertThat(byToken.code()).isEqualTo(4);
        assertThat(byToken.err()).contains("in use by token 'gw'");
        cli.ok("token", "revoke", "gw");
        cli.ok("policy", "set", "--enforce-ip-filter", "office");
        CliRunner.Result byPolicy = cli.run("ipfilter", "remove", "office");
        assertThat(byPolicy.code()).isEqualTo(4);
        assertThat(byPolicy.err()).contains("the security policy");
        cli.ok("policy", "set", "--enforce-ip-filter", "none");
        assertThat(cli.ok("audit", "list").out()).doesNotContain("ipfilter-remove");
        assertThat(cli.ok("ipfilter", "remove", "office").out()).isEqualTo("removed office\n");
        assertThat(cli.ok("audit", "list").out()).contains("ipfilter-add", "ipfilter-remove")
                .containsPattern("ipfilter-remove +- +name=office rules: allow 10.0.0.0/8");
        assertThat(cli.run("ipfilter", "show", "office").code()).isEqualTo(3);
        assertThat(cli.run("ipfilter", "remove", "office").code()).isEqualTo(3);
    }

    @Test
    void ipv6ClientsWorkEverywhere() {
        cli.ok("ipfilter", "add", "v6", "--rule", "allow 2001:db8::/32");
        String token = cli.create("gw", "--permission", "ReadHealthCheck", "--no-expiry", "--ip-filter", "v6");
        assertThat(cli.runWithInput(token, "token", "verify", "--ip", "2001:db8::42").code()).isZero();
        assertThat(cli.run("token", "show", "gw").out()).contains("from 2001:db8::42");
        assertThat(cli.runWithInput(token, "token", "verify", "--ip", "2001:db9::42").code()).isEqualTo(1);
        assertThat(cli.runWithInput(token, "token", "verify", "--ip", "fe80::1%eth0").code()).isEqualTo(2);
    }
}
