package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What the commands do at the edges of their rules: the audit of a create, names stored before
 * normalization, limits of expiry and policy, a filter in use by many tokens, the metrics' window.
 */
class EdgeCasesTest extends OnEachEngine {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonNode json(String... args) throws Exception {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "-o";
        all[args.length + 1] = "json";
        return JSON.readTree(cli.ok(all).out());
    }

    @Test
    void theAuditOfACreateNamesItsFilterAndLabelsOnlyWhenItHasThem() {
        cli.ok("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8");
        cli.create("plain");
        cli.create("tagged", "--permission", "ReadHealthCheck", "--no-expiry", "--ip-filter", "office", "--label", "team=pay");
        String audit = cli.ok("audit", "list").out();
        String plain = audit.lines().filter(l -> l.contains("name=plain")).findFirst().orElseThrow();
        String tagged = audit.lines().filter(l -> l.contains("name=tagged")).findFirst().orElseThrow();
        assertThat(plain).doesNotContain("ip-filter=", "labels=");
        assertThat(tagged).contains("ip-filter=office", "labels=");
    }

    @Test
    void aNameStoredUnnormalizedIsStillFoundAsWritten() throws Exception {
        cli.create("caf\u00e9");
        cli.sql("UPDATE tokens SET name = 'cafe\u0301'");
        assertThat(json("token", "show", "cafe\u0301").get("name").asText()).isEqualTo("cafe\u0301");
    }

    @Test
    void anExpiryExactlyAtTheLimitIsTakenAndASecondMoreIsNot() {
        String limit = CliRunner.START.plus(Duration.ofDays(36500)).toString();
        String beyond = CliRunner.START.plus(Duration.ofDays(36500)).plusSeconds(1).toString();
        cli.ok("token", "create", "--name", "far", "--permission", "ReadHealthCheck", "--expires-at", limit);
        CliRunner.Result refused = cli.run("token", "create", "--name", "farther", "--permission", "ReadHealthCheck",
                "--expires-at", beyond);
        assertThat(refused.code()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("is more than");
    }

    @Test
    void aRotationOfATokenWithoutExpiryTakesTheMaximumAPolicyGivesLater() throws Exception {
        cli.create("forever", "--permission", "ReadHealthCheck", "--no-expiry");
        cli.sql("UPDATE policy SET max_expiry_seconds = 86400");
        String fresh = cli.ok("token", "rotate", "forever").line();
        JsonNode shown = json("token", "show", fresh.substring(0, fresh.indexOf('~')));
        assertThat(shown.get("expires_at").asText()).isEqualTo(CliRunner.START.plus(Duration.ofDays(1)).toString());
    }

    @Test
    void anUpdatedDescriptionIsCheckedAsACreatedOneIs() throws Exception {
        cli.create("svc");
        String before = cli.snapshot();
        CliRunner.Result r = cli.run("token", "update", "svc", "--description", "bad\u0007bell");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("unprintable character U+0007");
        assertThat(cli.snapshot()).isEqualTo(before);
    }

    @Test
    void aFilterInUseByManyTokensNamesTenAndCountsTheRest() throws Exception {
        cli.ok("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8");
        for (int i = 0; i < 10; i++) {
            cli.create("t" + i, "--permission", "ReadHealthCheck", "--no-expiry", "--ip-filter", "office");
        }
        String before = cli.snapshot();
        CliRunner.Result ten = cli.run("ipfilter", "remove", "office");
        assertThat(ten.code()).as(ten.toString()).isEqualTo(4);
        assertThat(ten.err().lines()).hasSize(1);
        assertThat(cli.snapshot()).as("the filter is still there").isEqualTo(before);
        assertThat(ten.err()).contains("token 't9'").doesNotContain("more token");
        cli.create("t10", "--permission", "ReadHealthCheck", "--no-expiry", "--ip-filter", "office");
        cli.create("t11", "--permission", "ReadHealthCheck", "--no-expiry", "--ip-filter", "office");
        assertThat(cli.run("ipfilter", "remove", "office").err()).contains("', 2 more token(s) (");
    }

    @Test
    void aDefaultExpiryEqualToTheMaximumIsTakenAndANoChangeIsNotAudited() throws Exception {
        cli.ok("policy", "set", "--max-expiry", "30d", "--default-expiry", "30d");
        long audited = cli.ok("audit", "list").out().lines().count();
        cli.ok("policy", "set", "--max-expiry", "30d");
        assertThat(cli.ok("audit", "list").out().lines().count()).as("nothing changed, nothing audited").isEqualTo(audited);
        String before = cli.snapshot();
        CliRunner.Result over = cli.run("policy", "set", "--default-expiry", "31d");
        assertThat(over.code()).as(over.toString()).isEqualTo(2);
        assertThat(over.err()).startsWith("tokenctl: error: default-expiry 31d").hasLineCount(1);
        assertThat(cli.snapshot()).isEqualTo(before);
    }

    @Test
    void theMetricsSayTheirWindowInDaysOrSeconds() {
        assertThat(cli.ok("metrics", "--metrics-expiry-window", "90d").out()).contains("tokens expiring within 90 days,");
        assertThat(cli.ok("metrics", "--metrics-expiry-window", "36h").out()).contains("tokens expiring within 129600 seconds,");
        assertThat(cli.ok("metrics", "--metrics-expiry-window", "1d").out()).contains("tokens expiring within 1 days,");
    }

    @Test
    void theMetricsCommandPrintsEverySeriesPastServesCapSoonestFirst() throws Exception {
        long start = CliRunner.START.toEpochMilli();
        int count = dev.tokenctl.app.TokenMetrics.SERVE_MAX_SERIES + 1;
        cli.ok("policy", "show");
        cli.sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + count + ")"
                + " INSERT INTO tokens (id, name, permissions, secret_sha256, created_at, expires_at)"
                + " SELECT 'tctl_' || i, 'n' || i, 'ReadHealthCheck', CAST('x' AS BYTEA), " + start + ", "
                + (start + (count + 1) * 1000L) + " - i * 1000 FROM n");
        String out = cli.ok("metrics").out();
        java.util.List<String> series = out.lines().filter(l -> l.startsWith("tokenctl_token_expiry_timestamp_seconds{"))
                .toList();
        assertThat(series).hasSize(count);
        assertThat(series.get(0)).isEqualTo("tokenctl_token_expiry_timestamp_seconds{id=\"tctl_" + count + "\",name=\"n"
                + count + "\"} " + (CliRunner.START.getEpochSecond() + 1));
        assertThat(series.get(count - 1)).contains("name=\"n1\"}");
        assertThat(out).contains("as Unix time.\n").doesNotContain("at most")
                .endsWith("\ntokenctl_token_expiry_series_omitted 0\n");
    }
}
