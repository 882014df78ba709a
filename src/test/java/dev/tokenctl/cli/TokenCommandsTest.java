package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenCommandsTest extends OnEachEngine {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void createPrintsOnlyTheTokenOnStdoutAndASummaryOnStderr() {
        CliRunner.Result r = cli.run("token", "create", "--name", "ci", "--permission", "readhealthcheck,ViewOrganizations",
                "--permission", "ListSubdomains", "--expires-in", "30d", "--description", "for CI");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString()).matches("tctl_[0-9A-Za-z]{16}~[0-9A-Za-z]{49}\n");
        assertThat(r.err()).contains("Created token tctl_", "'ci'", "ReadHealthCheck, ViewOrganizations, ListSubdomains",
                "2026-12-29T10:00:00Z (in 30 days)", "will not be shown again");
    }

    @Test
    void createInJsonGivesTheTokenWithItsMetadata() throws Exception {
        CliRunner.Result r = cli.run("token", "create", "--name", "ci", "--permission", "ManageCluster",
                "--expires-at", "2027-01-31", "-o", "json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode node = JSON.readTree(r.out());
        assertThat(node.get("token").asText()).startsWith(node.get("metadata").get("id").asText() + "~");
        assertThat(node.get("metadata").get("expires_at").asText()).isEqualTo("2027-01-31T00:00:00Z");
        assertThat(node.get("metadata").get("permissions").get(0).asText()).isEqualTo("ManageCluster");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void createWithoutExpiryNamesTheThreeChoices() throws Exception {
        cli.create("seed");
        String before = cli.snapshot();
        CliRunner.Result r = cli.run("token", "create", "--name", "x", "--permission", "ReadHealthCheck");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).startsWith("tokenctl: error: ").contains("--expires-in", "--expires-at", "--no-expiry");
        assertThat(r.out()).isEmpty();
        assertThat(cli.snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--expires-in=0d", "--expires-in=30", "--expires-in=3M", "--expires-in=1y", "--expires-in=-1d",
        "--expires-in=99999999999d", "--expires-at=2020-01-01", "--expires-at=2026-11-29T09:59:59Z",
        "--expires-at=2027-01-01T10:00", "--expires-at=tomorrow", "--permission=NoSuchPermission", "--name=",
        "--name=tab\tname", "--name=bidi\u202Ename", "--name= padded", "--name=tctl_lookslikeanid"})
    void badInputIsExitTwoWithOneLineAndAnUntouchedStore(String bad) throws Exception {
        cli.create("seed");
        String before = cli.snapshot();
        String option = bad.substring(0, bad.indexOf('='));
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("token", "create"));
        if (!option.equals("--name")) {
            args.addAll(java.util.List.of("--name", "x"));
        }
        if (!option.equals("--permission")) {
            args.addAll(java.util.List.of("--permission", "ReadHealthCheck"));
        }
        if (!option.startsWith("--expires")) {
            args.addAll(java.util.List.of("--expires-in", "1d"));
        }
        args.add(bad);
        CliRunner.Result r = cli.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).as(r.toString()).startsWith("tokenctl: error: ").doesNotContain("Exception", "\tat ");
        assertThat(r.err().lines().filter(l -> l.startsWith("tokenctl: error:")).count()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(cli.snapshot()).isEqualTo(before);
    }

    @Test
    void unknownPermissionSuggestsTheClosestNames() {
        CliRunner.Result r = cli.run("token", "create", "--name", "x", "--permission", "ReadHealthChek", "--no-expiry");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown permission 'ReadHealthChek'", "did you mean ReadHealthCheck?");
    }

    @Test
    void nameInUseIsAConflictUntilTheTokenIsRevoked() {
        cli.create("ci");
        CliRunner.Result conflict = cli.run("token", "create", "--name", "ci", "--permission", "ReadHealthCheck", "--no-expiry");
        assertThat(conflict.code()).as(conflict.toString()).isEqualTo(4);
        assertThat(conflict.err()).contains("a token named 'ci' already exists");
        assertThat(cli.run("token", "revoke", "ci").code()).isZero();
        assertThat(cli.run("token", "create", "--name", "ci", "--permission", "ReadHealthCheck", "--no-expiry").code()).isZero();
    }

    @Test
    void nameLimitIs253Characters() {
        assertThat(cli.run("token", "create", "--name", "n".repeat(253), "--permission", "ReadHealthCheck", "--no-expiry")
                .code()).isZero();
        CliRunner.Result r = cli.run("token", "create", "--name", "n".repeat(254), "--permission", "ReadHealthCheck",
                "--no-expiry");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("1-253 characters");
    }

    @Test
    void secretOutWritesANew0600FileAndPrintsOnlyMetadata() throws Exception {
        Path file = dir.resolve("ci.token");
        CliRunner.Result r = cli.run("token", "create", "--name", "ci", "--permission", "ReadHealthCheck", "--no-expiry",
                "--secret-out", file.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        String token = Files.readString(file).strip();
        assertThat(token).startsWith("tctl_");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(r.out()).contains("Name:", "ci").doesNotContain(token.substring(token.indexOf('~')));
        assertThat(r.err()).doesNotContain(token.substring(token.indexOf('~')));
        assertThat(cli.runWithInput(token + "\n", "token", "verify").code()).isZero();

        CliRunner.Result again = cli.run("token", "create", "--name", "other", "--permission", "ReadHealthCheck",
                "--no-expiry", "--secret-out", file.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("already exists");
        assertThat(Files.readString(file).strip()).isEqualTo(token);
        assertThat(cli.run("token", "show", "other").code()).isEqualTo(3);
    }

    @Test
    void secretOutRefusesToFollowASymlink() throws Exception {
        Path target = dir.resolve("target");
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, target);
        CliRunner.Result r = cli.run("token", "create", "--name", "ci", "--permission", "ReadHealthCheck", "--no-expiry",
                "--secret-out", link.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(target).doesNotExist();
        assertThat(cli.run("token", "list", "-o", "json").out()).doesNotContain("\"ci\"");
    }

    @Test
    void listShowsExpiredTokensWithTheirStatusAndHidesRevokedOnes() throws Exception {
        cli.create("short", "--permission", "ReadHealthCheck", "--expires-in", "1h");
        cli.clock.move(Duration.ofSeconds(1));
        cli.create("long");
        cli.create("gone");
        cli.run("token", "revoke", "gone");
        cli.clock.move(Duration.ofHours(2));

        CliRunner.Result list = cli.run("token", "list");
        assertThat(list.code()).isZero();
        assertThat(list.out().lines().findFirst().orElseThrow())
                .matches("ID +NAME +PERMISSIONS +STATUS +EXPIRES +IP FILTER +CREATED +LAST USED");
        assertThat(list.out()).contains("short", "expired", "long", "active").doesNotContain("gone");
        assertThat(cli.run("token", "list", "--all").out()).contains("gone", "revoked");
        assertThat(cli.run("token", "list", "--status", "expired").out()).contains("short").doesNotContain("long");
        assertThat(cli.run("token", "list", "--status", "revoked").out()).contains("gone").doesNotContain("short");
        assertThat(cli.run("token", "list", "--expiring-within", "31d").out()).contains("long").doesNotContain("short");
        assertThat(cli.run("token", "list", "--expiring-within", "7d").out()).doesNotContain("long");
        assertThat(cli.run("token", "list", "--all", "--status", "active").code()).isEqualTo(2);

        JsonNode all = JSON.readTree(cli.run("token", "list", "--all", "-o", "json").out());
        assertThat(all).hasSize(3);
        assertThat(all.get(0).get("status").asText()).isEqualTo("expired");
        assertThat(all.toString()).doesNotContain("~", "sha256", "digest", "secret");
    }

    @Test
    void onANarrowTerminalListKeepsTheStatusAndSaysWhichColumnsItLeftOut() {
        String name = "a-rather-long-name-for-the-token-of-the-nightly-pipeline";
        String first = cli.create(name, "--permission", "ReadHealthCheck,ListSubdomains", "--expires-in", "30d");
        cli.clock.move(Duration.ofSeconds(1));
        cli.ok("token", "rotate", name, "--grace", "1h");
        cli.terminal = true;
        cli.env.put("COLUMNS", "80");
        cli.env.put("NO_COLOR", "1");

        CliRunner.Result narrow = cli.ok("token", "list");
        java.util.List<String> lines = narrow.out().lines().toList();
        assertThat(lines.get(0)).as(narrow.toString()).matches("ID +NAME +STATUS");
        assertThat(lines.get(1)).as("the old token, retiring").startsWith(first.substring(0, first.indexOf('~')) + "  " + name)
                .endsWith("retiring (in 1h)");
        assertThat(lines.get(2)).endsWith("active");
        assertThat(narrow.err()).isEqualTo("tokenctl: note: columns left out to fit the terminal: PERMISSIONS, EXPIRES,"
                + " IP FILTER, CREATED, LAST USED (-o wide shows them)\n");

        cli.env.put("COLUMNS", "200");
        CliRunner.Result fits = cli.ok("token", "list");
        assertThat(fits.out().lines().findFirst().orElseThrow()).contains("LAST USED");
        assertThat(fits.err()).as("nothing left out, nothing to say").isEmpty();
        cli.env.put("COLUMNS", "80");
        assertThat(cli.ok("token", "list", "-o", "wide").err()).isEmpty();
        cli.terminal = false;
        CliRunner.Result piped = cli.ok("token", "list");
        assertThat(piped.out()).contains("LAST USED");
        assertThat(piped.err()).as("a pipe is never cut").isEmpty();
    }

    @Test
    void wideListShowsLabelsWithValuesThatCouldPassForSeparatorsQuoted() {
        cli.create("plain", "--permission", "ReadHealthCheck", "--no-expiry", "--label", "team=payments", "--label", "env=prod");
        cli.clock.move(Duration.ofSeconds(1));
        cli.create("tricky", "--permission", "ReadHealthCheck", "--no-expiry", "--label", "note=a,b=c", "--label", "who=J. Doe");
        cli.clock.move(Duration.ofSeconds(1));
        cli.create("none");
        java.util.List<String> wide = cli.ok("token", "list", "-o", "wide").out().lines().toList();
        assertThat(wide.get(0)).endsWith("  LAST USED  LABELS");
        assertThat(wide.get(1)).contains("plain").endsWith("  env=prod,team=payments");
        assertThat(wide.get(2)).contains("tricky").endsWith("  note=\"a,b=c\",who=\"J. Doe\"");
        assertThat(wide.get(3)).contains("none").endsWith("  -");
        assertThat(cli.ok("token", "list").out()).doesNotContain("LABELS", "team=payments");
    }

    @Test
    void showFindsByIdAndByNameFallingBackToTheLastRevoked() throws Exception {
        String first = cli.create("ci");
        String id = first.substring(0, first.indexOf('~'));
        assertThat(cli.run("token", "show", id).out()).contains("Name:", "ci", "Status:", "active");
        cli.run("token", "revoke", "ci", "--reason", "leaked");
        CliRunner.Result byName = cli.run("token", "show", "ci", "-o", "yaml");
        assertThat(byName.out()).contains("id: " + id, "status: revoked", "revoke_reason: leaked");
        cli.create("ci");
        assertThat(cli.run("token", "show", "ci").out()).doesNotContain(id).contains("active");
        assertThat(cli.run("token", "show", id).out()).contains("revoked");
        CliRunner.Result missing = cli.run("token", "show", "nope");
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err()).isEqualTo("tokenctl: error: no token with id or name 'nope' (run 'tokenctl token list --all')\n");
    }

    @Test
    void revokeIsAtomicAcrossSeveralTokensAndIdempotent() throws Exception {
        String a = cli.create("a");
        cli.create("b");
        String before = cli.snapshot();
        CliRunner.Result partial = cli.run("token", "revoke", "a", "missing");
        assertThat(partial.code()).isEqualTo(3);
        assertThat(cli.snapshot()).isEqualTo(before);
        assertThat(cli.runWithInput(a, "token", "verify").code()).isZero();

        CliRunner.Result both = cli.run("token", "revoke", "a", "b", "--reason", "offboarding");
        assertThat(both.code()).as(both.toString()).isZero();
        assertThat(both.out()).contains("revoked tctl_", " a\n", " b\n");
        CliRunner.Result verify = cli.runWithInput(a, "token", "verify");
        assertThat(verify.code()).isEqualTo(1);
        assertThat(verify.err()).isEqualTo("denied: revoked\n");

        String id = a.substring(0, a.indexOf('~'));
        CliRunner.Result again = cli.run("token", "revoke", id);
        assertThat(again.code()).isZero();
        assertThat(again.err()).contains("already revoked");
        assertThat(cli.run("token", "show", id, "-o", "json").out()).contains("\"revoke_reason\" : \"offboarding\"");
    }

    @Test
    void rotateIssuesANewTokenWithTheSameSettingsAndRevokesTheOldOne() throws Exception {
        String old = cli.create("ci", "--permission", "ReadHealthCheck,ListSubdomains", "--expires-in", "7d",
                "--description", "nightly");
        String oldId = old.substring(0, old.indexOf('~'));
        cli.clock.move(Duration.ofDays(1));
        CliRunner.Result r = cli.run("token", "rotate", "ci");
        assertThat(r.code()).as(r.toString()).isZero();
        String fresh = r.line();
        String newId = fresh.substring(0, fresh.indexOf('~'));
        assertThat(newId).isNotEqualTo(oldId);
        assertThat(cli.runWithInput(old, "token", "verify").err()).isEqualTo("denied: revoked\n");
        assertThat(cli.runWithInput(fresh, "token", "verify").out()).isEqualTo("valid " + newId + " ci\n");

        JsonNode shown = JSON.readTree(cli.run("token", "show", "ci", "-o", "json").out());
        assertThat(shown.get("id").asText()).isEqualTo(newId);
        assertThat(shown.get("description").asText()).isEqualTo("nightly");
        assertThat(shown.get("permissions").toString()).isEqualTo("[\"ReadHealthCheck\",\"ListSubdomains\"]");
        assertThat(shown.get("expires_at").asText()).isEqualTo("2026-12-07T10:00:00Z");
        assertThat(shown.get("rotated_from").asText()).isEqualTo(oldId);
        assertThat(cli.run("token", "show", oldId).out()).contains("rotated: replaced by " + newId);

        assertThat(JSON.readTree(cli.run("token", "rotate", newId, "--expires-in", "1h", "-o", "json").out())
                .get("metadata").get("expires_at").asText()).isEqualTo("2026-11-30T11:00:00Z");
        CliRunner.Result revoked = cli.run("token", "rotate", oldId);
        assertThat(revoked.code()).isEqualTo(4);
        assertThat(revoked.err()).contains("is revoked");
    }

    @Test
    void verifyRefusesARequirementOfMoreThan64NamesBeforeReadingAToken() {
        String token = cli.create("ci");
        String names = String.join(",", java.util.Collections.nCopies(32, "ReadHealthCheck"));
        assertThat(cli.runWithInput(token + "\n", "token", "verify", "--require", names, "--require", names).code())
                .as("64 names").isZero();
        CliRunner.Result r = cli.runWithInput(token + "\n", "token", "verify", "--require", names, "--require", names,
                "--require", "ListSubdomains");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("tokenctl: error: --require: more than 64 permission names (name each permission once)\n")
                .contains("--help");
    }

    @Test
    void verifyAnswersEachReasonWithExitOne() throws Exception {
        String token = cli.create("ci", "--permission", "ReadHealthCheck", "--expires-in", "1h");
        String id = token.substring(0, token.indexOf('~'));
        assertThat(cli.runWithInput(token + "\n", "token", "verify", "--require", "readhealthcheck").out())
                .isEqualTo("valid " + id + " ci\n");
        assertDenied(token, "missing-permission", "--require", "ManageCluster");
        assertDenied("not a token", "malformed");
        assertDenied(token.substring(0, token.length() - 1) + (token.endsWith("a") ? "b" : "a"), "bad-checksum");
        String other = new dev.tokenctl.core.TokenFormat(new java.security.SecureRandom()).newToken("tctl_0000000000000000");
        assertDenied(other, "unknown");
        String wrongSecret = new dev.tokenctl.core.TokenFormat(new java.security.SecureRandom()).newToken(id);
        assertDenied(wrongSecret, "unknown");
        cli.clock.move(Duration.ofHours(1));
        assertDenied(token, "expired");

        JsonNode json = JSON.readTree(cli.runWithInput(token, "token", "verify", "-o", "json").out());
        assertThat(json.get("valid").asBoolean()).isFalse();
        assertThat(json.get("reason").asText()).isEqualTo("expired");
        assertThat(json.get("token_id").asText()).isEqualTo(id);
        assertThat(json.get("expires_at").asText()).isEqualTo("2026-11-29T11:00:00Z");
    }

    private void assertDenied(String token, String reason, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "token";
        all[1] = "verify";
        System.arraycopy(args, 0, all, 2, args.length);
        CliRunner.Result r = cli.runWithInput(token + "\n", all);
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("denied: " + reason + "\n");
    }

    @Test
    void verifyRefusesEmptyOrMultiLineInputAsUsageErrors() throws Exception {
        String token = cli.create("ci");
        CliRunner.Result empty = cli.runWithInput("", "token", "verify");
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).contains("no token on standard input");
        CliRunner.Result two = cli.runWithInput(token + "\n" + token + "\n", "token", "verify");
        assertThat(two.code()).isEqualTo(2);
        assertThat(two.err()).contains("--batch");
        CliRunner.Result huge = cli.runWithInput("x".repeat(100_000), "token", "verify");
        assertThat(huge.code()).isEqualTo(2);
        assertThat(cli.runWithInput("\n  " + token + "  \r\n\n", "token", "verify").code()).isZero();
    }

    @Test
    void verifyReadsATokenFile() throws Exception {
        String token = cli.create("ci");
        Path file = dir.resolve("t");
        Files.writeString(file, token + "\n");
        assertThat(cli.run("token", "verify", "--token-file", file.toString()).code()).isZero();
        CliRunner.Result missing = cli.run("token", "verify", "--token-file", dir.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist");
        CliRunner.Result directory = cli.run("token", "verify", "--token-file", dir.toString());
        assertThat(directory.code()).isEqualTo(2);
        assertThat(directory.err()).contains("cannot be read: it is a directory");
    }

    @Test
    void batchVerifyPrintsOneResultPerLineAndFailsUnlessAllAreValid() throws Exception {
        String a = cli.create("a");
        String b = cli.create("b");
        cli.run("token", "revoke", "b");
        CliRunner.Result text = cli.runWithInput(a + "\n" + b + "\ngarbage\n" + a, "token", "verify", "--batch");
        assertThat(text.code()).isEqualTo(1);
        assertThat(text.out().lines()).containsExactly("valid " + a.substring(0, 21) + " a", "denied: revoked",
                "denied: malformed", "valid " + a.substring(0, 21) + " a");
        CliRunner.Result json = cli.runWithInput(a + "\n" + b + "\n", "token", "verify", "--batch", "-o", "json");
        assertThat(json.out().lines()).hasSize(2);
        assertThat(JSON.readTree(json.out().lines().toList().get(1)).get("reason").asText()).isEqualTo("revoked");
        assertThat(cli.runWithInput(a + "\n" + a + "\n", "token", "verify", "--batch").code()).isZero();
    }

    @Test
    void verifyRecordsLastUseAtMostOnceAMinute() throws Exception {
        String token = cli.create("ci");
        cli.runWithInput(token, "token", "verify", "--ip", "192.0.2.7");
        assertThat(cli.run("token", "show", "ci", "-o", "json").out())
                .contains("\"last_used_at\" : \"2026-11-29T10:00:00Z\"", "\"last_used_address\" : \"192.0.2.7\"");
        cli.clock.move(Duration.ofSeconds(30));
        String before = cli.snapshot();
        cli.runWithInput(token, "token", "verify");
        assertThat(cli.snapshot()).isEqualTo(before);
        cli.clock.move(Duration.ofSeconds(30));
        cli.runWithInput(token, "token", "verify");
        assertThat(cli.run("token", "show", "ci", "-o", "json").out()).contains("\"last_used_at\" : \"2026-11-29T10:01:00Z\"");
        assertThat(cli.run("token", "list").out()).contains("now");
    }

    @Test
    void auditRecordsLifecycleAndDeniedVerifiesOfExistingTokensOnly() throws Exception {
        String token = cli.create("ci");
        cli.run("token", "rotate", "ci");
        for (int i = 0; i < 5; i++) {
            cli.runWithInput(token, "token", "verify");
            cli.runWithInput("garbage" + i, "token", "verify");
        }
        cli.run("token", "revoke", "ci", "--reason", "done");
        CliRunner.Result audit = cli.run("audit", "list");
        assertThat(audit.code()).isZero();
        assertThat(audit.out().lines().skip(1).map(l -> l.split(" {2,}")[2]))
                .containsExactly("create", "rotate", "create", "verify-denied", "revoke");
        assertThat(audit.out()).contains("tester", "reason=revoked").doesNotContain("garbage", token.substring(22));
        cli.clock.move(Duration.ofMinutes(1));
        cli.runWithInput(token, "token", "verify");
        assertThat(cli.run("audit", "list", "--since", "30s", "-o", "json").out()).contains("verify-denied")
                .doesNotContain("\"create\"");
        String oldId = token.substring(0, 21);
        assertThat(JSON.readTree(cli.run("audit", "list", "--token", oldId, "-o", "json").out())).hasSize(4);
    }

    @Test
    void theStoreNeverContainsTheTokenOrItsSecret() throws Exception {
        StringBuilder tokens = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            tokens.append(cli.create("t" + i)).append('\n');
        }
        tokens.append(cli.run("token", "rotate", "t0").line()).append('\n');
        cli.runWithInput(tokens.toString(), "token", "verify", "--batch");
        cli.run("token", "revoke", "t1");
        String contents = cli.storeContents();
        for (String token : tokens.toString().split("\n")) {
            assertThat(contents).doesNotContain(token).doesNotContain(token.substring(token.indexOf('~') + 1));
        }
        assertThat(cli.run("audit", "list").out()).doesNotContain("~");
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheSubcommand() throws Exception {
        Path other = dir.resolve("other.db");
        assertThat(cli.run("--db", other.toString(), "token", "create", "--name", "a", "--permission",
                "ReadHealthCheck", "--no-expiry").code()).isZero();
        assertThat(cli.run("token", "list", "--db", other.toString(), "-o", "json").out()).contains("\"a\"");
        assertThat(cli.run("-o", "yaml", "token", "list", "--db", other.toString()).out()).contains("name: a");
        assertThat(cli.run("token", "list").out()).doesNotContain(" a ");
        CliRunner.Result verbose = cli.run("token", "show", "nope", "--verbose");
        assertThat(verbose.code()).isEqualTo(3);
        assertThat(verbose.err()).contains("TokenctlException", "\tat ");
    }
}
