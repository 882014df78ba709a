package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code tokenctl metrics} in each format, and the label keys it could not tell apart. */
class MetricsCommandTest extends OnEachEngine {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aLabelKeyThatMetricsWouldWriteAsAnotherIsRefusedAndTheStoreLeftAsItWas() throws Exception {
        cli.create("ci", "--permission", "ReadHealthCheck", "--expires-in", "7d", "--label", "a.b=1");
        String before = cli.snapshot();
        CliRunner.Result update = cli.run("token", "update", "ci", "--label", "a-b=2");
        assertThat(update.code()).as(update.toString()).isEqualTo(2);
        assertThat(update.err()).isEqualTo("tokenctl: error: label key 'a-b' would be written as label_a_b in metrics,"
                + " as 'a.b' already is (use one of them)\n");
        assertThat(update.out()).isEmpty();
        assertThat(cli.snapshot()).isEqualTo(before);

        CliRunner.Result create = cli.run("token", "create", "--name", "other", "--permission", "ReadHealthCheck",
                "--no-expiry", "--label", "x.y=1", "--label", "x_y=2");
        assertThat(create.code()).as(create.toString()).isEqualTo(2);
        assertThat(create.err()).startsWith("tokenctl: error: label key ").contains("would be written as label_x_y in metrics")
                .hasLineCount(1);
        assertThat(cli.snapshot()).isEqualTo(before);

        assertThat(cli.ok("token", "update", "ci", "--remove-label", "a.b", "--label", "a-b=2").err())
                .as("one key for the other").doesNotContain("error");
        assertThat(cli.ok("metrics").out()).contains("name=\"ci\",label_a_b=\"2\"} ");
    }

    @Test
    void jsonGivesTheCountsAndTheTokensExpiringWithinTheWindowSoonestFirst() throws Exception {
        String late = cli.create("late", "--permission", "ReadHealthCheck", "--expires-in", "20d", "--label", "team=pay",
                "--label", "env=prod");
        cli.clock.move(Duration.ofSeconds(1));
        String soon = cli.create("soon", "--permission", "ReadHealthCheck", "--expires-in", "2d");
        cli.create("later", "--permission", "ReadHealthCheck", "--expires-in", "60d");
        cli.create("gone");
        cli.ok("token", "revoke", "gone");

        CliRunner.Result r = cli.ok("metrics", "-o", "json");
        assertThat(r.err()).isEmpty();
        JsonNode json = JSON.readTree(r.out());
        assertThat(json.toString()).isEqualTo("{\"tokens\":{\"active\":3,\"retiring\":0,\"expired\":0,\"revoked\":1},"
                + "\"expiring_within\":\"30d\",\"expiring\":["
                + "{\"id\":\"" + id(soon) + "\",\"name\":\"soon\",\"labels\":{},\"expires_at\":\"2026-12-01T10:00:01Z\"},"
                + "{\"id\":\"" + id(late) + "\",\"name\":\"late\",\"labels\":{\"env\":\"prod\",\"team\":\"pay\"},"
                + "\"expires_at\":\"2026-12-19T10:00:00Z\"}]}");
        assertThat(r.out()).endsWith("}\n");

        JsonNode selected = JSON.readTree(cli.ok("metrics", "--label", "team", "--metrics-expiry-window", "90d",
                "--output=json").out());
        assertThat(selected.get("expiring_within").asText()).isEqualTo("90d");
        assertThat(selected.get("expiring").findValuesAsText("name")).containsExactly("late");

        CliRunner.Result yaml = cli.ok("-o", "yaml", "metrics");
        assertThat(new ObjectMapper(new YAMLFactory()).readTree(yaml.out())).isEqualTo(json);
        assertThat(yaml.out()).startsWith("tokens:\n  active: 3\n");
    }

    @Test
    void withNothingToCountJsonIsStillTheWholeShape() throws Exception {
        JsonNode json = JSON.readTree(cli.ok("metrics", "-o", "json").out());
        assertThat(json.toString()).isEqualTo("{\"tokens\":{\"active\":0,\"retiring\":0,\"expired\":0,\"revoked\":0},"
                + "\"expiring_within\":\"30d\",\"expiring\":[]}");
    }

    private static String id(String token) {
        return token.substring(0, token.indexOf('~'));
    }
}
