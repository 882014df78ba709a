package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tokens for services that run around the clock, on each engine: rotation with a grace period,
 * changes in place, labels. Every refusal leaves the store as it was.
 */
class LiveServicesTest extends OnEachEngine {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonNode json(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-o", "json"));
        return JSON.readTree(cli.ok(all.toArray(String[]::new)).out());
    }

    /** The fingerprint a dry run gives on stderr with -o json, beside its array of tokens. */
    private String fingerprint(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-o", "json"));
        CliRunner.Result dry = cli.ok(all.toArray(String[]::new));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^tokenctl: fingerprint: (\\S+) ").matcher(dry.err());
        assertThat(m.find()).as(dry.toString()).isTrue();
        return m.group(1);
    }

    private String id(String token) {
        return token.substring(0, token.indexOf('~'));
    }

    /** One error line, as every refusal has: usage errors add a pointer to --help. */
    private static void oneError(CliRunner.Result r) {
        assertThat(r.err().lines().filter(l -> l.startsWith("tokenctl: error: ")).count()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("\tat ");
    }

    private JsonNode verify(String token) throws Exception {
        return JSON.readTree(cli.runWithInput(token, "token", "verify", "-o", "json").out());
    }

    @Test
    void aServiceKeepsWorkingThroughAGracedRotationAndStopsExactlyWhenTheGraceEnds() throws Exception {
        String old = cli.create("billing-api", "--permission", "ReadHealthCheck", "--expires-in", "30d");
        String oldId = id(old);
        String fresh = cli.ok("token", "rotate", "billing-api", "--grace", "30m").line();
        String freshId = id(fresh);

        JsonNode answer = verify(old);
        assertThat(answer.get("valid").asBoolean()).isTrue();
        assertThat(answer.get("retires_at").asText()).isEqualTo("2026-11-29T10:30:00Z");
        assertThat(verify(fresh).get("retires_at").isNull()).isTrue();
        assertThat(cli.runWithInput(old + "\n" + fresh + "\n", "token", "verify", "--batch").out())
                .isEqualTo("valid " + oldId + " billing-api\nvalid " + freshId + " billing-api\n");

        JsonNode shown = json("token", "show", oldId);
        assertThat(shown.get("status").asText()).isEqualTo("retiring");
        assertThat(shown.get("retires_at").asText()).isEqualTo("2026-11-29T10:30:00Z");
        assertThat(shown.get("revoked_at").isNull()).isTrue();
        assertThat(json("token", "show", "billing-api").get("id").asText()).as("a name means the current generation")
                .isEqualTo(freshId);
        assertThat(cli.ok("token", "list").out()).contains(oldId).contains("retiring (in 30m)");
        assertThat(json("token", "list", "--status", "retiring")).hasSize(1);
        assertThat(cli.ok("audit", "list").out()).contains("replaced by " + freshId + " (valid until 2026-11-29T10:30:00Z)");

        cli.clock.move(Duration.ofMinutes(30).minusMillis(1));
        assertThat(verify(old).get("valid").asBoolean()).as("a millisecond before the grace ends").isTrue();
        cli.clock.move(Duration.ofMillis(1));
        assertThat(verify(old).get("reason").asText()).isEqualTo("revoked");
        assertThat(cli.runWithInput(old, "token", "verify").code()).isEqualTo(1);
        shown = json("token", "show", oldId);
        assertThat(shown.get("status").asText()).isEqualTo("revoked");
        assertThat(shown.get("revoke_reason").asText()).isEqualTo("rotated: replaced by " + freshId);
        assertThat(shown.get("revoked_at").asText()).isEqualTo("2026-11-29T10:30:00Z");
        assertThat(verify(fresh).get("valid").asBoolean()).isTrue();
    }

    @Test
    void noPathGivesThreeValidGenerationsOrARetiringTokenPastItsExpiry() throws Exception {
        String first = cli.create("svc", "--permission", "ReadHealthCheck", "--expires-in", "30d");
        String second = cli.ok("token", "rotate", "svc", "--grace", "1h").line();
        String third = cli.ok("token", "rotate", "svc", "--grace", "1h").line();
        assertThat(verify(first).get("reason").asText()).as("the first generation's grace ended at once").isEqualTo("revoked");
        assertThat(verify(second).get("valid").asBoolean()).isTrue();
        assertThat(verify(third).get("valid").asBoolean()).isTrue();
        assertThat(cli.ok("audit", "list").out()).contains("grace ended: " + id(second) + " was rotated");

        String before = cli.snapshot();
        CliRunner.Result retiring = cli.run("token", "rotate", id(second));
        assertThat(retiring.code()).as(retiring.toString()).isEqualTo(4);
        assertThat(retiring.err()).contains("is retiring").hasLineCount(1);
        assertThat(cli.run("token", "rotate", id(first)).code()).isEqualTo(4);
        assertThat(cli.run("token", "update", id(second), "--description", "x").code()).isEqualTo(4);
        assertThat(cli.snapshot()).isEqualTo(before);

        // Revoking a retiring token ends its grace at once.
        cli.ok("token", "revoke", id(second));
        assertThat(verify(second).get("reason").asText()).isEqualTo("revoked");

        String shortLived = cli.create("short", "--permission", "ReadHealthCheck", "--expires-in", "10m");
        cli.ok("token", "rotate", "short", "--grace", "1h");
        assertThat(json("token", "show", id(shortLived)).get("retires_at").asText()).as("never past its own expiry")
                .isEqualTo("2026-11-29T10:10:00Z");
        cli.clock.move(Duration.ofMinutes(10));
        assertThat(verify(shortLived).get("valid").asBoolean()).isFalse();

        String lapsed = cli.create("lapsed", "--permission", "ReadHealthCheck", "--expires-in", "5m");
        cli.clock.move(Duration.ofMinutes(10));
        cli.ok("token", "rotate", "lapsed", "--grace", "1h");
        JsonNode shown = json("token", "show", id(lapsed));
        assertThat(shown.get("status").asText()).isEqualTo("revoked");
        assertThat(shown.get("revoked_at").asText()).as("an expired token rotated is revoked then, not back at its expiry")
                .isEqualTo("2026-11-29T10:20:00Z");
    }

    @Test
    void thePolicyBoundsGraceAndAppliesToRetiringTokens() throws Exception {
        String old = cli.create("svc", "--permission", "ReadHealthCheck", "--no-expiry");
        assertThat(json("policy", "show").get("max_rotation_grace").asText()).isEqualTo("1h");
        String before = cli.snapshot();
        CliRunner.Result tooLong = cli.run("token", "rotate", "svc", "--grace", "2h");
        assertThat(tooLong.code()).isEqualTo(5);
        assertThat(tooLong.err()).contains("max-rotation-grace of 1h").hasLineCount(1);
        assertThat(cli.snapshot()).isEqualTo(before);
        CliRunner.Result zero = cli.run("token", "rotate", "svc", "--grace", "0s");
        assertThat(zero.code()).isEqualTo(2);
        oneError(zero);
        cli.ok("policy", "set", "--max-rotation-grace", "none");
        String forbidding = cli.snapshot();
        CliRunner.Result none = cli.run("token", "rotate", "svc", "--grace", "1m");
        assertThat(none.code()).isEqualTo(5);
        assertThat(none.err()).contains("allows no rotation grace");
        assertThat(cli.snapshot()).isEqualTo(forbidding);
        cli.ok("policy", "set", "--max-rotation-grace", "2h");
        assertThat(before).isNotEqualTo(cli.snapshot());

        cli.ok("token", "rotate", "svc", "--grace", "2h");
        cli.ok("policy", "set", "--max-expiry", "1h", "--yes");
        JsonNode cut = json("token", "show", id(old));
        assertThat(cut.get("expires_at").asText()).as("a lowered max-expiry cuts back a retiring token too")
                .isEqualTo("2026-11-29T11:00:00Z");
        assertThat(cut.get("retires_at").asText()).isEqualTo("2026-11-29T12:00:00Z");
        cli.clock.move(Duration.ofHours(1));
        assertThat(verify(old).get("reason").asText()).as("past its cut expiry, before its grace ends").isEqualTo("expired");
        assertThat(json("token", "show", id(old)).get("status").asText()).isEqualTo("expired");
        assertThat(json("token", "list", "--status", "expired")).as("both generations, cut back alike").hasSize(2);
        assertThat(json("store", "info").get("retiring_tokens").asInt()).isZero();
        String other = cli.create("other", "--permission", "ReadHealthCheck", "--expires-in", "1h");
        cli.ok("token", "rotate", "other", "--grace", "30m");
        assertThat(json("store", "info").get("retiring_tokens").asInt()).isEqualTo(1);
        cli.ok("policy", "set", "--tokens-enabled", "false", "--yes");
        assertThat(verify(other).get("valid").asBoolean()).isFalse();
        assertThat(json("token", "show", id(other)).get("status").asText()).as("turning tokens off revokes retiring ones")
                .isEqualTo("revoked");
    }

    @Test
    void updateChangesATokenInPlaceWithinThePolicyInOneAuditedStep() throws Exception {
        String token = cli.create("svc", "--permission", "ReadHealthCheck", "--expires-in", "20d");
        cli.ok("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8");
        JsonNode updated = json("token", "update", "svc", "--expires-in", "10d", "--description", "billing",
                "--ip-filter", "office", "--label", "team=payments", "--label", "env=prod");
        assertThat(updated.get("expires_at").asText()).isEqualTo("2026-12-09T10:00:00Z");
        assertThat(updated.get("description").asText()).isEqualTo("billing");
        assertThat(updated.get("ip_filter").asText()).isEqualTo("office");
        assertThat(updated.get("labels").toString()).isEqualTo("{\"env\":\"prod\",\"team\":\"payments\"}");
        List<String> updates = cli.ok("audit", "list", "-o", "json").out().lines()
                .filter(l -> l.contains("\"action\" : \"update\"")).toList();
        assertThat(updates).hasSize(1);
        assertThat(cli.ok("audit", "list").out()).contains("expires: 2026-12-19T10:00:00Z -> 2026-12-09T10:00:00Z;"
                + " description: none -> \"billing\"; ip-filter: none -> office; labels: none -> env=\"prod\",team=\"payments\"");
        assertThat(json("token", "show", "svc").get("labels").get("team").asText()).isEqualTo("payments");

        cli.ok("policy", "set", "--max-expiry", "30d", "--yes");
        String revoked = id(cli.create("gone"));
        cli.ok("token", "revoke", "gone");
        String before = cli.snapshot();
        String[][] refused = {
            {"5", "--expires-in", "60d"},
            {"5", "--no-expiry"},
            {"5", "--permission", "ManageCluster"},
            {"3", "--ip-filter", "nowhere"},
            {"2", "--label", "Bad_Key=x"},
            {"2", "--remove-label", "-x"},
            {"2", "--expires-at", "2020-01-01"},
            {"2"},
            {"4", "--description", "x", "--expires-in", "1d", "ID-OF-REVOKED"},
        };
        for (String[] bad : refused) {
            List<String> args = new ArrayList<>(List.of("token", "update"));
            boolean otherToken = bad[bad.length - 1].equals("ID-OF-REVOKED");
            args.add(otherToken ? revoked : "svc");
            args.addAll(List.of(bad).subList(1, bad.length - (otherToken ? 1 : 0)));
            CliRunner.Result r = cli.run(args.toArray(String[]::new));
            assertThat(r.code()).as(args + ": " + r).isEqualTo(Integer.parseInt(bad[0]));
            oneError(r);
            assertThat(cli.snapshot()).as(args.toString()).isEqualTo(before);
        }
        assertThat(cli.ok("token", "update", "svc", "--expires-in", "5d").out()).as("a shorter lifetime").contains("2026-12-04");
        cli.ok("policy", "set", "--enforce-ip-filter", "office", "--yes");
        cli.ok("ipfilter", "add", "lab", "--rule", "allow 192.168.0.0/16");
        assertThat(cli.run("token", "update", "svc", "--ip-filter", "lab").code()).isEqualTo(5);
        cli.ok("policy", "set", "--allow-permission-updates", "true");
        assertThat(json("token", "update", "svc", "--permission", "ManageCluster", "--no-ip-filter",
                "--remove-label", "env", "--description", "").toString())
                .contains("\"permissions\":[\"ManageCluster\"]").contains("\"ip_filter\":null")
                .contains("\"labels\":{\"team\":\"payments\"}").contains("\"description\":null");
        assertThat(verify(token).get("permissions").toString()).isEqualTo("[\"ManageCluster\"]");
    }

    @Test
    void labelsSelectTokensForListRevokeAndMetricsAndFollowARotation() throws Exception {
        cli.create("a", "--permission", "ReadHealthCheck", "--expires-in", "7d", "--label", "team=payments",
                "--label", "env=prod");
        cli.clock.move(Duration.ofSeconds(1));
        cli.create("b", "--permission", "ReadHealthCheck", "--expires-in", "7d", "--label", "team=payments",
                "--label", "env=staging");
        cli.clock.move(Duration.ofSeconds(1));
        cli.create("c", "--permission", "ReadHealthCheck", "--expires-in", "7d", "--label", "team=search");
        cli.clock.move(Duration.ofSeconds(1));
        cli.create("d");
        assertThat(names(json("token", "list", "--label", "team=payments"))).containsExactly("a", "b");
        assertThat(names(json("token", "list", "--label", "team=payments", "--label", "env=prod"))).containsExactly("a");
        assertThat(names(json("token", "list", "--label", "env"))).containsExactly("a", "b");
        assertThat(cli.ok("token", "show", "a").out()).contains("Labels:       env=prod,team=payments");
        assertThat(cli.ok("metrics", "--label", "team=payments").out())
                .contains("name=\"a\",label_env=\"prod\",label_team=\"payments\"} ")
                .contains("name=\"b\",").doesNotContain("name=\"c\"").doesNotContain("name=\"d\"");

        String rotated = cli.ok("token", "rotate", "b").line();
        assertThat(json("token", "show", id(rotated)).get("labels").get("env").asText()).isEqualTo("staging");

        String before = cli.snapshot();
        assertThat(names(json("token", "revoke", "--label", "team=payments", "--dry-run")))
                .containsExactly("a", "b");
        CliRunner.Result unconfirmed = cli.run("token", "revoke", "--label", "team=payments");
        assertThat(unconfirmed.code()).isEqualTo(2);
        assertThat(unconfirmed.err()).contains("would revoke 2 tokens").contains("a\n").contains(id(rotated));
        assertThat(cli.snapshot()).isEqualTo(before);
        assertThat(cli.run("token", "revoke", "a", "--label", "team=payments").code()).isEqualTo(2);
        assertThat(names(json("token", "revoke", "--label", "team=payments", "--yes"))).as("what was revoked")
                .containsExactly("a", "b");
        assertThat(names(json("token", "list"))).containsExactly("c", "d");
    }

    @Test
    void revokeWithAFingerprintRevokesExactlyTheTokensReviewedOrNone() throws Exception {
        String a = id(cli.create("a", "--permission", "ReadHealthCheck", "--expires-in", "7d", "--label", "team=x"));
        cli.clock.move(Duration.ofSeconds(1));
        String b = id(cli.create("b", "--permission", "ReadHealthCheck", "--expires-in", "7d", "--label", "team=x"));
        cli.create("other", "--permission", "ReadHealthCheck", "--expires-in", "7d", "--label", "team=y");
        assertThat(names(json("token", "revoke", "--label", "team=x", "--dry-run"))).as("the array of a listing")
                .containsExactly("a", "b");
        String fingerprint = fingerprint("token", "revoke", "--label", "team=x", "--dry-run");
        assertThat(fingerprint).matches("2-[0-9a-f]{12}");
        CliRunner.Result text = cli.ok("token", "revoke", "--label", "team=x", "--dry-run");
        assertThat(text.out()).contains(a, b).endsWith("fingerprint: " + fingerprint
                + " (give it to --fingerprint with --yes to revoke exactly the 2 tokens listed)\n");
        assertThat(text.err()).isEmpty();

        cli.clock.move(Duration.ofSeconds(1));
        String c = id(cli.create("c", "--permission", "ReadHealthCheck", "--expires-in", "7d", "--label", "team=x"));
        String before = cli.snapshot();
        CliRunner.Result raced = cli.run("token", "revoke", "--label", "team=x", "--yes", "--fingerprint", fingerprint);
        assertThat(raced.code()).as(raced.toString()).isEqualTo(4);
        oneError(raced);
        assertThat(raced.err()).hasLineCount(1).contains("the selection is now 3 tokens, not the 2 reviewed")
                .contains("run --dry-run again");
        assertThat(raced.out()).isEmpty();
        assertThat(cli.snapshot()).as("nothing revoked").isEqualTo(before);
        assertThat(cli.run("token", "revoke", "--label", "team=x", "--dry-run", "--fingerprint", fingerprint).code())
                .as("a dry run checks a fingerprint too").isEqualTo(4);
        assertThat(names(json("token", "list", "--label", "team=x"))).containsExactly("a", "b", "c");

        String again = fingerprint("token", "revoke", "--label", "team=x", "--dry-run");
        assertThat(again).startsWith("3-").isNotEqualTo(fingerprint);
        assertThat(names(json("token", "revoke", "--label", "team=x", "--yes", "--fingerprint", again.toUpperCase())))
                .containsExactly("a", "b", "c");
        assertThat(names(json("token", "list"))).containsExactly("other");
        assertThat(List.of(a, b, c)).allSatisfy(t -> assertThat(cli.ok("token", "show", t).out()).contains("revoked"));
    }

    @Test
    void aFingerprintOfAsManyOtherTokensOrOfNamesThatMovedRevokesNothing() throws Exception {
        cli.create("a", "--permission", "ReadHealthCheck", "--expires-in", "7d", "--label", "team=x");
        String reviewed = fingerprint("token", "revoke", "--label", "team=x", "--dry-run");
        String named = fingerprint("token", "revoke", "a", "--dry-run");
        assertThat(named).as("the same tokens, however chosen").isEqualTo(reviewed);
        cli.ok("token", "rotate", "a");
        String before = cli.snapshot();
        CliRunner.Result swapped = cli.run("token", "revoke", "--label", "team=x", "--yes", "--fingerprint", reviewed);
        assertThat(swapped.code()).as(swapped.toString()).isEqualTo(4);
        assertThat(swapped.err()).contains("the selection is now 1 token, but not the 1 reviewed");
        CliRunner.Result moved = cli.run("token", "revoke", "a", "--fingerprint", named);
        assertThat(moved.code()).as("the name now means the new generation: " + moved).isEqualTo(4);
        assertThat(cli.snapshot()).isEqualTo(before);
    }

    @Test
    void idsFromRevokesExactlyThoseTokensOrNoneWhenOneCanNoLongerBe() throws Exception {
        String a = id(cli.create("a", "--permission", "ReadHealthCheck", "--expires-in", "7d", "--label", "team=x"));
        cli.clock.move(Duration.ofSeconds(1));
        String b = id(cli.create("b", "--permission", "ReadHealthCheck", "--expires-in", "7d", "--label", "team=x"));
        cli.clock.move(Duration.ofSeconds(1));
        String c = id(cli.create("c", "--permission", "ReadHealthCheck", "--expires-in", "7d", "--label", "team=x"));
        cli.clock.move(Duration.ofSeconds(1));
        String d = id(cli.create("d", "--permission", "ReadHealthCheck", "--expires-in", "7d", "--label", "team=y"));
        CliRunner.Result all = cli.runWithInput(String.join("\n", d, c, b, a), "token", "revoke", "--ids-from", "-",
                "--dry-run", "-o", "json");
        assertThat(names(JSON.readTree(all.out()))).as("oldest first").containsExactly("a", "b", "c", "d");
        java.nio.file.Path ids = cli.dir.resolve("ids.txt");
        java.nio.file.Files.writeString(ids, "  " + a + "\n\n" + b + "\r\n" + a + "\n");
        JsonNode dry = json("token", "revoke", "--ids-from", ids.toString(), "--dry-run");
        assertThat(names(dry)).containsExactly("a", "b");
        assertThat(names(json("token", "revoke", "--ids-from", ids.toString(), "--yes"))).containsExactly("a", "b");
        assertThat(names(json("token", "list"))).containsExactly("c", "d");

        String before = cli.snapshot();
        CliRunner.Result revoked = cli.runWithInput(c + "\n" + a + "\n", "token", "revoke", "--ids-from", "-");
        assertThat(revoked.code()).as(revoked.toString()).isEqualTo(4);
        oneError(revoked);
        assertThat(revoked.err()).contains("1 of the 2 tokens listed can no longer be revoked: " + a + " is revoked")
                .contains("nothing was revoked");
        CliRunner.Result unselected = cli.runWithInput(c + "\n" + d + "\n", "token", "revoke", "--ids-from", "-",
                "--label", "team=x", "--yes");
        assertThat(unselected.code()).as(unselected.toString()).isEqualTo(4);
        assertThat(unselected.err()).contains(d + " does not match --label team=x").doesNotContain(c + " ");
        assertThat(cli.snapshot()).as("nothing revoked").isEqualTo(before);

        String[][] refused = {
            {"3", "tctl_0000000000000000"},
            {"2", "not-an-id"},
            {"2", "billing-api"},
            {"2", ""},
            {"2", " \n\n"},
        };
        for (String[] bad : refused) {
            CliRunner.Result r = cli.runWithInput(bad[1], "token", "revoke", "--ids-from", "-");
            assertThat(r.code()).as(r.toString()).isEqualTo(Integer.parseInt(bad[0]));
            oneError(r);
        }
        assertThat(cli.run("token", "revoke", "c", "--ids-from", ids.toString()).code()).isEqualTo(2);
        assertThat(cli.run("token", "revoke", "--ids-from", dir.resolve("missing").toString()).code()).isEqualTo(2);
        assertThat(cli.snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3f9a2c41b7d0", "2-3f9a2c41b7d", "2-3f9a2c41b7d0a", "-1-3f9a2c41b7d0", "02-3f9a2c41b7d0",
        "2-3f9a2c41b7dg", "2 3f9a2c41b7d0", "", "x"})
    void aFingerprintNotOfTheFormADryRunPrintsIsExitTwo(String fingerprint) throws Exception {
        cli.create("a", "--permission", "ReadHealthCheck", "--expires-in", "7d", "--label", "team=x");
        String before = cli.snapshot();
        CliRunner.Result r = cli.run("token", "revoke", "--label", "team=x", "--yes", "--fingerprint", fingerprint);
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        oneError(r);
        assertThat(r.err()).contains("is not a fingerprint");
        assertThat(cli.snapshot()).isEqualTo(before);
    }

    @Test
    void tokenShowQuotesALabelValueThatCouldReadAsAnotherLabel() throws Exception {
        cli.create("q", "--permission", "ReadHealthCheck", "--no-expiry", "--label", "team=a,b", "--label", "env=prod",
                "--label", "note=x=y", "--label", "owner=Ann Lee", "--label", "q=say \"hi\"\\", "--label", "e=");
        assertThat(cli.ok("token", "show", "q").out())
                .contains("Labels:       e=\"\",env=prod,note=\"x=y\",owner=\"Ann Lee\",q=\"say \\\"hi\\\"\\\\\",team=\"a,b\"\n");
        assertThat(json("token", "show", "q").get("labels").get("team").asText()).isEqualTo("a,b");
        cli.sql("UPDATE tokens SET labels = 'bell=a' || char(7) || 'b' || char(10) WHERE name = 'q'"
                .replace("char(", cli.engine == Engine.POSTGRESQL ? "chr(" : "char("));
        assertThat(cli.ok("token", "show", "q").out()).contains("Labels:       bell=\"a\\u0007b\"\n");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "token list --expiring-within 36501d | omit --expiring-within for tokens of any expiry",
        "audit list --since 36501d | omit --since for every event",
        "token rotate a --grace 36501d | use at most the policy's max-rotation-grace",
        "token rotate a --expires-in 36501d | omit --expires-in to keep the old token's lifetime",
        "metrics --metrics-expiry-window 36501d | use 36500d or less",
        "policy set --max-expiry 36501d | use none for no maximum",
        "policy set --default-expiry 36501d | use none for no default",
        "policy set --max-rotation-grace 36501d | use 36500d or less",
        "token list --expiring-within 1mo | use 1s to 36500d as a number with a unit",
        "policy set --max-expiry x | ; or none for no maximum",
        "token rotate a --grace 0s | ; or at most the policy's max-rotation-grace",
    })
    void eachDurationOptionNamesItsOwnRangeAndNeverAnotherOptionsWayOut(String args, String hint) throws Exception {
        cli.create("a");
        String before = cli.snapshot();
        CliRunner.Result r = cli.run(args.split(" "));
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        oneError(r);
        assertThat(r.err()).contains(hint).doesNotContain("--no-expiry");
        assertThat(cli.snapshot()).isEqualTo(before);
        CliRunner.Result lifetime = cli.run("token", "create", "--name", "b", "--permission", "ReadHealthCheck",
                "--expires-in", "36501d");
        assertThat(lifetime.err()).as("where it exists").contains("use --no-expiry for a token that never expires");
    }

    private static List<String> names(JsonNode tokens) {
        List<String> names = new ArrayList<>();
        tokens.forEach(t -> names.add(t.get("name").asText()));
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = {"Team=x", "-team=x", "team-=x", "a..b/c=x", "=x", "team"})
    void aLabelOfTheWrongShapeIsOneLineAndExitTwo(String label) throws Exception {
        cli.create("keep");
        String before = cli.snapshot();
        CliRunner.Result r = cli.run("token", "create", "--name", "x", "--permission", "ReadHealthCheck", "--no-expiry",
                "--label", label);
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("label");
        oneError(r);
        assertThat(cli.snapshot()).isEqualTo(before);
    }

    @Test
    void aTokenHasAtMost32LabelsOfAtMost253Characters() throws Exception {
        List<String> args = new ArrayList<>(List.of("token", "create", "--name", "many", "--permission",
                "ReadHealthCheck", "--no-expiry"));
        for (int i = 0; i < 32; i++) {
            args.addAll(List.of("--label", "k" + i + "=" + "v".repeat(253)));
        }
        cli.create("keep");
        String before = cli.snapshot();
        List<String> tooMany = new ArrayList<>(args);
        tooMany.addAll(List.of("--label", "k32=v"));
        CliRunner.Result r = cli.run(tooMany.toArray(String[]::new));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("at most 32 labels");
        CliRunner.Result longValue = cli.run("token", "create", "--name", "long", "--permission", "ReadHealthCheck",
                "--no-expiry", "--label", "k=" + "v".repeat(254));
        assertThat(longValue.code()).isEqualTo(2);
        assertThat(cli.snapshot()).isEqualTo(before);
        cli.ok(args.toArray(String[]::new));
        assertThat(json("token", "show", "many").get("labels")).hasSize(32);
        assertThat(cli.run("token", "update", "many", "--label", "k32=v").code()).isEqualTo(2);
    }

    @Test
    void revokingTheCurrentGenerationEndsItsPredecessorsGraceSoANameNeverHasThreeValidTokens() throws Exception {
        String first = cli.create("x", "--permission", "ReadHealthCheck", "--expires-in", "1d");
        String second = cli.ok("token", "rotate", "x", "--grace", "30m").line();
        cli.ok("token", "revoke", "x");
        assertThat(verify(second).get("reason").asText()).isEqualTo("revoked");
        assertThat(verify(first).get("reason").asText()).as("a leak of the new token revokes the old one too")
                .isEqualTo("revoked");
        assertThat(cli.ok("audit", "list").out()).contains("grace ended: its successor " + id(second) + " was revoked");
        String third = cli.create("x", "--permission", "ReadHealthCheck", "--expires-in", "1d");
        String fourth = cli.ok("token", "rotate", "x", "--grace", "30m").line();
        long valid = 0;
        for (String token : List.of(first, second, third, fourth)) {
            valid += verify(token).get("valid").asBoolean() ? 1 : 0;
        }
        assertThat(valid).isEqualTo(2);
        CliRunner.Result taken = cli.run("token", "create", "--name", "x", "--permission", "ReadHealthCheck", "--no-expiry");
        assertThat(taken.code()).as("the name is in use while a generation of it is valid").isEqualTo(4);
    }

    @Test
    void aTokenThatIsRetiringExpiredOrUnderDisabledTokensCannotBeRevivedByUpdate() throws Exception {
        String old = cli.create("y", "--permission", "ReadHealthCheck", "--expires-in", "1d");
        cli.ok("token", "rotate", "y", "--grace", "30m");
        cli.ok("policy", "set", "--max-expiry", "5m", "--yes");
        cli.clock.move(Duration.ofMinutes(6));
        cli.ok("policy", "set", "--max-expiry", "1d");
        String before = cli.snapshot();
        CliRunner.Result retired = cli.run("token", "update", id(old), "--expires-in", "1h");
        assertThat(retired.code()).as("cut back and expired, it was still rotated away").isEqualTo(4);
        assertThat(retired.err()).contains("is retiring");
        CliRunner.Result expired = cli.run("token", "update", "y", "--expires-in", "1h");
        assertThat(expired.code()).isEqualTo(4);
        assertThat(expired.err()).contains("is expired").contains("rotate it");
        assertThat(cli.snapshot()).isEqualTo(before);
        assertThat(verify(old).get("valid").asBoolean()).isFalse();

        cli.create("z", "--permission", "ReadHealthCheck", "--expires-in", "1h");
        cli.ok("policy", "set", "--tokens-enabled", "false", "--yes");
        CliRunner.Result disabled = cli.run("token", "update", "z", "--description", "x");
        assertThat(disabled.code()).as("turning tokens off revoked it").isEqualTo(4);
        assertThat(disabled.err()).contains("is revoked");
    }

    @Test
    void aFilterARetiringTokenUsesCannotBeRemovedAndAuditDetailsCannotBeForged() throws Exception {
        cli.ok("ipfilter", "add", "lab", "--rule", "allow 10.0.0.0/8");
        cli.create("s", "--permission", "ReadHealthCheck", "--expires-in", "1d", "--ip-filter", "lab");
        cli.ok("token", "rotate", "s", "--grace", "30m");
        cli.ok("token", "update", "s", "--no-ip-filter");
        String before = cli.snapshot();
        CliRunner.Result removed = cli.run("ipfilter", "remove", "lab");
        assertThat(removed.code()).as(removed.toString()).isNotZero();
        assertThat(removed.err()).contains("s");
        assertThat(cli.snapshot()).isEqualTo(before);

        cli.ok("token", "update", "s", "--description", "x\"; permissions: ReadHealthCheck -> ManageCluster; x: \"y",
                "--label", "a=1,b=2");
        String details = null;
        for (JsonNode event : json("audit", "list")) {
            if (event.get("action").asText().equals("update")) {
                details = event.get("details").asText();
            }
        }
        assertThat(details).as("quoted values cannot pass for other fields").isEqualTo(
                "description: none -> \"x\\\"; permissions: ReadHealthCheck -> ManageCluster; x: \\\"y\";"
                        + " labels: none -> a=\"1,b=2\"");
        assertThat(cli.ok("token", "revoke", "--label", "nobody", "--yes", "-o", "json").out().strip()).isEqualTo("[ ]");
    }
}
