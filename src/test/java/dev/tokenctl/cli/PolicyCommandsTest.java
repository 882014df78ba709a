package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyCommandsTest extends OnEachEngine {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonNode json(String... args) throws Exception {
        return JSON.readTree(cli.ok(args).out());
    }

    private static String id(String token) {
        return token.substring(0, token.indexOf('~'));
    }

    /** The token ids of the audit events with that action, oldest first. */
    private List<String> audited(String action) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode event : json("audit", "list", "-o", "json")) {
            if (event.get("action").asText().equals(action)) {
                ids.add(event.get("token_id").asText());
            }
        }
        return ids;
    }

    @Test
    void aNewStoreHasTheDefaultPolicy() throws Exception {
        assertThat(cli.ok("policy", "show").out()).isEqualTo("""
                tokens-enabled:           true
                max-expiry:               none
                default-expiry:           none
                enforced-ip-filter:       none
                allow-permission-updates: false
                max-rotation-grace:       1h
                """);
        assertThat(cli.ok("policy", "show", "-o", "yaml").out()).isEqualTo("""
                tokens_enabled: true
                max_expiry: null
                default_expiry: null
                enforced_ip_filter: null
                allow_permission_updates: false
                max_rotation_grace: 1h
                """);
    }

    @Test
    void maxExpiryRefusesLongerOrMissingExpiryNamingTheLimit() {
        cli.ok("policy", "set", "--max-expiry", "30d");
        CliRunner.Result tooLong = cli.run("token", "create", "--name", "a", "--permission", "ReadHealthCheck",
                "--expires-in", "90d");
        assertThat(tooLong.code()).isEqualTo(5);
        assertThat(tooLong.err()).isEqualTo("tokenctl: error: expiry 90d exceeds the policy maximum of 30d"
                + " (use --expires-in 30d or less)\n");
        CliRunner.Result never = cli.run("token", "create", "--name", "a", "--permission", "ReadHealthCheck", "--no-expiry");
        assertThat(never.code()).isEqualTo(5);
        assertThat(never.err()).contains("tokens must expire", "30d");
        CliRunner.Result at = cli.run("token", "create", "--name", "a", "--permission", "ReadHealthCheck",
                "--expires-at", "2027-06-01");
        assertThat(at.code()).isEqualTo(5);
        cli.ok("token", "create", "--name", "a", "--permission", "ReadHealthCheck", "--expires-in", "30d");
        CliRunner.Result rotate = cli.run("token", "rotate", "a", "--expires-in", "31d");
        assertThat(rotate.code()).isEqualTo(5);
        assertThat(rotate.err()).contains("exceeds the policy maximum of 30d");
        cli.ok("token", "rotate", "a");
    }

    @Test
    void defaultExpiryIsUsedWhenCreateGivesNoneAndMustNotExceedTheMaximum() throws Exception {
        cli.ok("policy", "set", "--default-expiry", "7d");
        JsonNode created = json("token", "create", "--name", "a", "--permission", "ReadHealthCheck", "-o", "json");
        assertThat(created.get("metadata").get("expires_at").asText()).isEqualTo("2026-12-06T10:00:00Z");
        CliRunner.Result inconsistent = cli.run("policy", "set", "--max-expiry", "1d");
        assertThat(inconsistent.code()).isEqualTo(2);
        assertThat(inconsistent.err()).contains("default-expiry 7d exceeds max-expiry 1d");
        assertThat(cli.ok("policy", "show").out()).contains("max-expiry:               none");
        cli.ok("policy", "set", "--default-expiry", "none");
        assertThat(cli.run("token", "create", "--name", "b", "--permission", "ReadHealthCheck").code()).isEqualTo(2);
    }

    @Test
    void loweringMaxExpiryNeedsYesAndCutsBackLongerLivedTokens() throws Exception {
        cli.create("long", "--permission", "ReadHealthCheck", "--expires-in", "90d");
        cli.create("forever", "--permission", "ReadHealthCheck", "--no-expiry");
        cli.create("short", "--permission", "ReadHealthCheck", "--expires-in", "1d");
        String before = cli.snapshot();

        CliRunner.Result refused = cli.run("policy", "set", "--max-expiry", "30d");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("long", "forever", "cut-expiry", "would affect 2 existing token(s)", "--yes")
                .doesNotContain("short");
        assertThat(cli.snapshot()).isEqualTo(before);

        JsonNode dry = json("policy", "set", "--max-expiry", "30d", "--dry-run", "-o", "json");
        assertThat(dry.get("after").get("max_expiry").asText()).isEqualTo("30d");
        assertThat(dry.get("effects")).hasSize(2);
        assertThat(dry.get("effects").get(1).get("new_expires_at").asText()).isEqualTo("2026-12-29T10:00:00Z");
        assertThat(cli.ok("policy", "set", "--max-expiry", "30d", "--dry-run").out()).contains("Would change: max-expiry: none -> 30d");
        assertThat(cli.snapshot()).isEqualTo(before);

        cli.ok("policy", "set", "--max-expiry", "30d", "--yes");
        assertThat(json("token", "show", "long", "-o", "json").get("expires_at").asText()).isEqualTo("2026-12-29T10:00:00Z");
        assertThat(json("token", "show", "forever", "-o", "json").get("expires_at").asText()).isEqualTo("2026-12-29T10:00:00Z");
        assertThat(json("token", "show", "short", "-o", "json").get("expires_at").asText()).isEqualTo("2026-11-30T10:00:00Z");
        assertThat(cli.ok("audit", "list").out()).contains("max-expiry: none -> 30d", "expiry-cut");
    }

    @Test
    void turningTokensOffRevokesActiveTokensAndBlocksCreateAndVerify() throws Exception {
        String token = cli.create("a");
        CliRunner.Result refused = cli.run("policy", "set", "--tokens-enabled", "false");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("revoke", "a");
        assertThat(cli.runWithInput(token, "token", "verify").code()).isZero();

        cli.ok("policy", "set", "--tokens-enabled", "false", "--yes");
        assertThat(cli.run("token", "show", "a").out()).contains("revoked", "security policy");
        assertThat(cli.ok("audit", "list").out()).contains("tokens-enabled: true -> false")
                .containsPattern("revoke +tctl_\\w+ +name=a reason=revoked: system tokens disabled by the security policy");
        CliRunner.Result create = cli.run("token", "create", "--name", "b", "--permission", "ReadHealthCheck", "--no-expiry");
        assertThat(create.code()).isEqualTo(5);
        assertThat(create.err()).contains("disabled by the security policy");
        CliRunner.Result verify = cli.runWithInput(token, "token", "verify");
        assertThat(verify.err()).isEqualTo("denied: tokens-disabled\n");
        assertThat(cli.run("token", "rotate", "a").code()).isEqualTo(4);

        cli.ok("policy", "set", "--tokens-enabled", "true");
        cli.create("b");
    }

    /**
     * Each command that issues or changes a token checks that tokens are on, even where a token
     * outlived turning them off (a store changed by hand, or by an older version).
     */
    @Test
    void withTokensOffNoCommandIssuesOrChangesATokenLeftActive() throws Exception {
        String token = cli.create("a");
        cli.sql("UPDATE policy SET tokens_enabled = FALSE");
        String before = cli.snapshot();
        for (String[] args : new String[][] {{"token", "rotate", "a"}, {"token", "update", "a", "--description", "x"},
            {"token", "create", "--name", "b", "--permission", "ReadHealthCheck", "--no-expiry"}}) {
            CliRunner.Result r = cli.run(args);
            assertThat(r.code()).as(r.toString()).isEqualTo(5);
            assertThat(r.err()).as(r.toString()).contains("disabled by the security policy");
        }
        assertThat(cli.snapshot()).isEqualTo(before);
        assertThat(cli.runWithInput(token, "token", "verify").err()).isEqualTo("denied: tokens-disabled\n");
    }

    @Test
    void permissionUpdatesFollowThePolicy() throws Exception {
        String token = cli.create("a");
        CliRunner.Result refused = cli.run("token", "update", "a", "--permission", "ManageCluster");
        assertThat(refused.code()).isEqualTo(5);
        assertThat(refused.err()).contains("does not allow changing a token's permissions");
        cli.ok("policy", "set", "--allow-permission-updates", "true");
        JsonNode updated = json("token", "update", "a", "--permission", "ManageCluster,ViewOrganizations", "-o", "json");
        assertThat(updated.get("permissions").toString()).isEqualTo("[\"ViewOrganizations\",\"ManageCluster\"]");
        assertThat(cli.runWithInput(token, "token", "verify", "--require", "ManageCluster").code()).isZero();
        assertThat(cli.runWithInput(token, "token", "verify", "--require", "ReadHealthCheck").err())
                .isEqualTo("denied: missing-permission\n");
        assertThat(cli.ok("audit", "list").out()).contains("permissions: ReadHealthCheck -> ViewOrganizations,ManageCluster",
                "allow-permission-updates: false -> true");
    }

    @Test
    void enforcedFilterAppliesToEveryTokenAndRefusesAnotherFilter() throws Exception {
        cli.ok("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8");
        cli.ok("ipfilter", "add", "lab", "--rule", "allow 192.0.2.0/24");
        String token = cli.create("a");
        String bound = cli.create("b", "--permission", "ReadHealthCheck", "--no-expiry", "--ip-filter", "lab");
        assertThat(cli.runWithInput(bound, "token", "verify", "--ip", "192.0.2.1").code()).isZero();

        cli.ok("policy", "set", "--enforce-ip-filter", "office", "--yes");
        assertThat(cli.runWithInput(token, "token", "verify").err()).isEqualTo("denied: ip-required\n");
        assertThat(cli.runWithInput(token, "token", "verify", "--ip", "10.1.1.1").code()).isZero();
        assertThat(cli.runWithInput(bound, "token", "verify", "--ip", "192.0.2.1").err()).isEqualTo("denied: ip-denied\n");
        CliRunner.Result other = cli.run("token", "create", "--name", "c", "--permission", "ReadHealthCheck", "--no-expiry",
                "--ip-filter", "lab");
        assertThat(other.code()).isEqualTo(5);
        assertThat(other.err()).contains("the policy enforces 'office'");
        assertThat(cli.run("policy", "set", "--enforce-ip-filter", "nope").code()).isEqualTo(3);
        cli.ok("policy", "set", "--enforce-ip-filter", "none");
        assertThat(cli.runWithInput(token, "token", "verify").code()).isZero();
    }

    @Test
    void enforcingAnIpFilterListsEachActiveAndRetiringTokenItRestrictsAndNeedsYes() throws Exception {
        cli.ok("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8");
        cli.ok("ipfilter", "add", "lab", "--rule", "allow 192.0.2.0/24");
        String plain = cli.create("plain");
        cli.clock.move(Duration.ofSeconds(1));
        String bound = cli.create("bound", "--permission", "ReadHealthCheck", "--no-expiry", "--ip-filter", "lab");
        cli.clock.move(Duration.ofSeconds(1));
        cli.create("inside", "--permission", "ReadHealthCheck", "--no-expiry", "--ip-filter", "office");
        cli.clock.move(Duration.ofSeconds(1));
        String old = cli.create("svc");
        cli.clock.move(Duration.ofSeconds(1));
        String current = cli.ok("token", "rotate", "svc", "--grace", "1h").line();
        cli.create("gone");
        cli.ok("token", "revoke", "gone");
        String before = cli.snapshot();
        String listed = """
                ACTION          ID                     NAME   CHANGE
                require-filter  %s  plain  a client address now required, in filter office
                require-filter  %s  bound  its own filter lab AND office (was its own filter lab)
                require-filter  %s  svc    a client address now required, in filter office
                require-filter  %s  svc    a client address now required, in filter office
                """.formatted(id(plain), id(bound), id(old), id(current));

        CliRunner.Result dry = cli.ok("policy", "set", "--enforce-ip-filter", "office", "--dry-run");
        assertThat(dry.out()).isEqualTo("Would change: enforced-ip-filter: none -> office\n" + listed);
        assertThat(dry.err()).isEmpty();
        JsonNode effects = json("policy", "set", "--enforce-ip-filter", "office", "--dry-run", "-o", "json").get("effects");
        assertThat(effects).hasSize(4);
        assertThat(effects.get(1).get("action").asText()).isEqualTo("require-filter");
        assertThat(effects.get(1).get("change").asText()).isEqualTo("its own filter lab AND office (was its own filter lab)");

        CliRunner.Result refused = cli.run("policy", "set", "--enforce-ip-filter", "office");
        assertThat(refused.code()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).isEqualTo(listed + "tokenctl: error: this change would affect 4 existing token(s),"
                + " listed above (rerun with --yes to apply it, or --dry-run to review)\n");
        assertThat(cli.snapshot()).isEqualTo(before);
        assertThat(cli.runWithInput(plain, "token", "verify").code()).isZero();
        assertThat(cli.runWithInput(old, "token", "verify").code()).isZero();

        CliRunner.Result applied = cli.ok("policy", "set", "--enforce-ip-filter", "office", "--yes");
        assertThat(applied.err()).isEqualTo(listed);
        assertThat(applied.out()).contains("enforced-ip-filter:       office");
        assertThat(audited("enforced-filter")).containsExactly(id(plain), id(bound), id(old), id(current));
        assertThat(cli.ok("audit", "list", "--token", id(bound)).out())
                .contains("its own filter lab AND office (was its own filter lab) (policy enforced-ip-filter office)");
        for (String token : new String[] {plain, old, current}) {
            assertThat(cli.runWithInput(token, "token", "verify").err()).isEqualTo("denied: ip-required\n");
            assertThat(cli.runWithInput(token, "token", "verify", "--ip", "192.0.2.1").err()).isEqualTo("denied: ip-denied\n");
            assertThat(cli.runWithInput(token, "token", "verify", "--ip", "10.1.1.1").code()).isZero();
        }
    }

    @Test
    void liftingTheEnforcedFilterListsTheTokensItFreesWithoutYesAndChangingItNeedsYes() throws Exception {
        cli.ok("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8");
        cli.ok("ipfilter", "add", "lab", "--rule", "allow 192.0.2.0/24");
        String plain = cli.create("plain");
        cli.clock.move(Duration.ofSeconds(1));
        String bound = cli.create("bound", "--permission", "ReadHealthCheck", "--no-expiry", "--ip-filter", "lab");
        cli.ok("policy", "set", "--enforce-ip-filter", "office", "--yes");

        String before = cli.snapshot();
        CliRunner.Result refused = cli.run("policy", "set", "--enforce-ip-filter", "lab");
        assertThat(refused.code()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).isEqualTo("""
                ACTION          ID                     NAME   CHANGE
                require-filter  %s  plain  a client address in filter lab (was a client address in filter office)
                relax-filter    %s  bound  its own filter lab (was its own filter lab AND office)
                tokenctl: error: this change would affect 2 existing token(s), listed above \
                (rerun with --yes to apply it, or --dry-run to review)
                """.formatted(id(plain), id(bound)));
        assertThat(cli.snapshot()).isEqualTo(before);

        String freed = """
                ACTION        ID                     NAME   CHANGE
                relax-filter  %s  plain  any client address (was a client address in filter office)
                relax-filter  %s  bound  its own filter lab (was its own filter lab AND office)
                """.formatted(id(plain), id(bound));
        assertThat(cli.ok("policy", "set", "--enforce-ip-filter", "none", "--dry-run").out())
                .isEqualTo("Would change: enforced-ip-filter: office -> none\n" + freed);
        CliRunner.Result lifted = cli.ok("policy", "set", "--enforce-ip-filter", "none");
        assertThat(lifted.err()).isEqualTo(freed);
        assertThat(audited("enforced-filter")).containsExactly(id(plain), id(bound), id(plain), id(bound));
        assertThat(cli.runWithInput(plain, "token", "verify").code()).isZero();
        assertThat(cli.runWithInput(bound, "token", "verify", "--ip", "192.0.2.1").code()).isZero();
    }

    @Test
    void loweringMaxRotationGraceEndsLongerGracesListedAndNeedsYes() throws Exception {
        cli.ok("policy", "set", "--max-rotation-grace", "3h");
        String slow = cli.create("slow");
        String slowNext = cli.ok("token", "rotate", "slow", "--grace", "3h").line();
        cli.clock.move(Duration.ofSeconds(1));
        String quick = cli.create("quick");
        cli.ok("token", "rotate", "quick", "--grace", "30m");
        cli.clock.move(Duration.ofMinutes(10).minusSeconds(1));
        String before = cli.snapshot();
        String cut = """
                ACTION     ID                     NAME  CHANGE
                cut-grace  %s  slow  grace ends: 2026-11-29T13:00:00Z -> 2026-11-29T11:10:00Z
                """.formatted(id(slow));

        CliRunner.Result dry = cli.ok("policy", "set", "--max-rotation-grace", "1h", "--dry-run");
        assertThat(dry.out()).isEqualTo("Would change: max-rotation-grace: 3h -> 1h\n" + cut);
        JsonNode effect = json("policy", "set", "--max-rotation-grace", "1h", "--dry-run", "-o", "json").get("effects").get(0);
        assertThat(effect.get("action").asText()).isEqualTo("cut-grace");
        assertThat(effect.get("retires_at").asText()).isEqualTo("2026-11-29T13:00:00Z");
        assertThat(effect.get("new_retires_at").asText()).isEqualTo("2026-11-29T11:10:00Z");
        CliRunner.Result refused = cli.run("policy", "set", "--max-rotation-grace", "1h");
        assertThat(refused.code()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).isEqualTo(cut + "tokenctl: error: this change would affect 1 existing token(s),"
                + " listed above (rerun with --yes to apply it, or --dry-run to review)\n");
        assertThat(cli.snapshot()).isEqualTo(before);

        assertThat(cli.ok("policy", "set", "--max-rotation-grace", "1h", "--yes").err()).isEqualTo(cut);
        assertThat(json("token", "show", id(slow), "-o", "json").get("retires_at").asText()).isEqualTo("2026-11-29T11:10:00Z");
        assertThat(audited("grace-cut")).containsExactly(id(slow));

        cli.clock.move(Duration.ofMinutes(5));
        assertThat(cli.ok("policy", "set", "--max-rotation-grace", "none", "--dry-run").out()).isEqualTo("""
                Would change: max-rotation-grace: 1h -> none
                ACTION     ID                     NAME   CHANGE
                cut-grace  %s  slow   grace ends: 2026-11-29T11:10:00Z -> 2026-11-29T10:15:00Z
                cut-grace  %s  quick  grace ends: 2026-11-29T10:30:01Z -> 2026-11-29T10:15:00Z
                """.formatted(id(slow), id(quick)));
        assertThat(cli.runWithInput(slow, "token", "verify").code()).isZero();
        assertThat(cli.run("policy", "set", "--max-rotation-grace", "none").code()).isEqualTo(2);
        assertThat(cli.runWithInput(slow, "token", "verify").code()).as("refused: still in its grace").isZero();
        cli.ok("policy", "set", "--max-rotation-grace", "none", "--yes");
        assertThat(cli.runWithInput(slow, "token", "verify").err()).isEqualTo("denied: revoked\n");
        assertThat(cli.runWithInput(quick, "token", "verify").err()).isEqualTo("denied: revoked\n");
        assertThat(cli.runWithInput(slowNext, "token", "verify").code()).isZero();
        assertThat(audited("grace-cut")).containsExactly(id(slow), id(slow), id(quick));
    }

    @Test
    void policyExportedAsYamlOrJsonRoundTripsUnchanged() throws Exception {
        cli.ok("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8");
        cli.ok("policy", "set", "--max-expiry", "30d", "--default-expiry", "1d12h", "--enforce-ip-filter", "office",
                "--allow-permission-updates", "true");
        for (String format : new String[] {"yaml", "json"}) {
            String exported = cli.ok("policy", "show", "-o", format).out();
            Path file = dir.resolve("policy." + format);
            Files.writeString(file, exported);
            cli.ok("policy", "set", "--max-expiry", "none", "--default-expiry", "none", "--enforce-ip-filter", "none",
                    "--allow-permission-updates", "false", "--tokens-enabled", "false");
            cli.ok("policy", "set", "--file", file.toString());
            assertThat(cli.ok("policy", "show", "-o", format).out()).isEqualTo(exported);
        }
        assertThat(cli.runWithInput("max_expiry: 7d\n", "policy", "set", "--file", "-").code()).isZero();
        assertThat(cli.ok("policy", "show").out()).contains("max-expiry:               7d", "default-expiry:           1d12h");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "max_expiry: 30d\nmax_expiry: 7d\n", "maximum_expiry: 30d\n", "tokens_enabled: yes please\n",
        "tokens_enabled: \"true\"\n", "max_expiry: 30\n", "max_expiry: 3M\n", "max_expiry: [1d]\n",
        "- a\n- b\n", "just text\n", "{\"max_expiry\": \"30d\", \"max_expiry\": \"7d\"}", "{not json",
        "a: &a [x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c]\n",
        "a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n", "enforced_ip_filter: 5\n", "\u0000\u0001binary", ""
    })
    void badPolicyFilesAreRefusedNamingTheProblemAndChangeNothing(String content) throws Exception {
        cli.create("seed");
        String before = cli.snapshot();
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, content);
        CliRunner.Result r = cli.run("policy", "set", "--file", file.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).as(r.toString()).startsWith("tokenctl: error: ").hasLineCount(1).doesNotContain("\tat ");
        assertThat(cli.snapshot()).isEqualTo(before);
    }

    @Test
    void badPolicyFileMessagesNameTheKey() throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, "maximum_expiry: 30d\n");
        assertThat(cli.run("policy", "set", "--file", file.toString()).err()).contains("unknown key 'maximum_expiry'");
        Files.writeString(file, "tokens_enabled: 1\n");
        assertThat(cli.run("policy", "set", "--file", file.toString()).err()).contains("'tokens_enabled' must be true or false");
        Files.writeString(file, "default_expiry: 0d\n");
        assertThat(cli.run("policy", "set", "--file", file.toString()).err()).contains("'default_expiry'", "zero");
    }

    @Test
    void policyChangesAreAuditedWithOldAndNewValues() {
        cli.ok("policy", "set", "--max-expiry", "30d", "--allow-permission-updates", "true");
        cli.clock.move(Duration.ofMinutes(1));
        cli.ok("policy", "set", "--max-expiry", "7d");
        assertThat(cli.ok("audit", "list").out()).contains("max-expiry: none -> 30d; allow-permission-updates: false -> true",
                "max-expiry: 30d -> 7d");
        assertThat(cli.run("policy", "set").code()).isEqualTo(2);
        assertThat(cli.run("policy", "set", "--tokens-enabled", "maybe").code()).isEqualTo(2);
    }
}
