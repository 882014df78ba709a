package dev.tokenctl.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenctl.core.TokenctlException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request metrics' counts and buckets, and the access log's lines and file. */
class MetricsAndAccessLogTest {
    @TempDir
    Path dir;

    @Test
    void durationsFallInTheFirstBucketThatHoldsThemAndCountCumulatively() {
        Metrics metrics = new Metrics();
        metrics.record("authz", "allow", "valid", 100_000);        // 0.0001 s: on the first bound
        metrics.record("authz", "allow", "valid", 100_001);        // just past it
        metrics.record("authz", "deny", "revoked", 2_000_000_000L); // past the last bound
        metrics.record("introspect", "allow", "valid", 1_000_000_000L);
        StringBuilder text = new StringBuilder();
        metrics.write(text, 7);
        String out = text.toString();
        assertThat(out).contains(
                "tokenctl_records_dropped_total 7\n",
                "tokenctl_requests_total{endpoint=\"authz\",decision=\"allow\",reason=\"valid\"} 2\n",
                "tokenctl_requests_total{endpoint=\"authz\",decision=\"deny\",reason=\"revoked\"} 1\n",
                "tokenctl_request_duration_seconds_bucket{endpoint=\"authz\",le=\"0.0001\"} 1\n",
                "tokenctl_request_duration_seconds_bucket{endpoint=\"authz\",le=\"0.00025\"} 2\n",
                "tokenctl_request_duration_seconds_bucket{endpoint=\"authz\",le=\"1.0\"} 2\n",
                "tokenctl_request_duration_seconds_bucket{endpoint=\"authz\",le=\"+Inf\"} 3\n",
                "tokenctl_request_duration_seconds_count{endpoint=\"authz\"} 3\n",
                "tokenctl_request_duration_seconds_bucket{endpoint=\"introspect\",le=\"1.0\"} 1\n",
                "tokenctl_request_duration_seconds_bucket{endpoint=\"introspect\",le=\"0.25\"} 0\n");
        String sum = out.lines().filter(l -> l.startsWith("tokenctl_request_duration_seconds_sum{endpoint=\"authz\"}"))
                .findFirst().orElseThrow();
        assertThat(Double.parseDouble(sum.substring(sum.lastIndexOf(' ') + 1))).isBetween(2.0002, 2.00021);
        assertThat(out.indexOf("endpoint=\"authz\",decision=\"allow\"")).as("sorted")
                .isLessThan(out.indexOf("endpoint=\"authz\",decision=\"deny\""));
    }

    @Test
    void everySeriesIsThereAtZeroFromTheStartWithBoundsInPrometheusCanonicalForm() {
        StringBuilder text = new StringBuilder();
        new Metrics().write(text, 0);
        String out = text.toString();
        assertThat(out).contains(
                "tokenctl_requests_total{endpoint=\"authz\",decision=\"allow\",reason=\"valid\"} 0\n",
                "tokenctl_requests_total{endpoint=\"authz\",decision=\"deny\",reason=\"revoked\"} 0\n",
                "tokenctl_requests_total{endpoint=\"authz\",decision=\"deny\",reason=\"no-token\"} 0\n",
                "tokenctl_requests_total{endpoint=\"authz\",decision=\"error\",reason=\"store-error\"} 0\n",
                "tokenctl_requests_total{endpoint=\"introspect\",decision=\"deny\",reason=\"caller-refused\"} 0\n",
                "tokenctl_requests_total{endpoint=\"healthz\",decision=\"none\",reason=\"ok\"} 0\n",
                "tokenctl_requests_total{endpoint=\"metrics\",decision=\"none\",reason=\"busy\"} 0\n",
                "tokenctl_requests_total{endpoint=\"other\",decision=\"none\",reason=\"not-found\"} 0\n",
                "tokenctl_requests_total{endpoint=\"other\",decision=\"error\",reason=\"internal-error\"} 0\n",
                "tokenctl_request_duration_seconds_count{endpoint=\"other\"} 0\n");
        assertThat(out.lines().filter(l -> l.startsWith("tokenctl_requests_total{")).count())
                .as("each endpoint's series, once").isEqualTo(2 * (10 + 2) + 2 + 2 + 3 + 4 + 5 * 2);
        assertThat(out.lines().filter(l -> l.startsWith("tokenctl_request_duration_seconds_bucket{endpoint=\"authz\""))
                .map(l -> l.replaceAll(".*le=\"([^\"]+)\".*", "$1")))
                .containsExactly("0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
                        "0.25", "1.0", "+Inf");
    }

    @Test
    void aSeriesNotKnownAheadIsCountedAllTheSame() {
        Metrics metrics = new Metrics();
        metrics.record("elsewhere", "none", "new-reason", 1_000);
        StringBuilder text = new StringBuilder();
        metrics.write(text, 0);
        assertThat(text.toString()).contains(
                "tokenctl_requests_total{endpoint=\"elsewhere\",decision=\"none\",reason=\"new-reason\"} 1\n",
                "tokenctl_request_duration_seconds_count{endpoint=\"elsewhere\"} 1\n");
    }

    @Test
    void theAccessLogWritesOneJsonLinePerRequestToStdoutOrAPrivateFile() throws Exception {
        AccessLog off = AccessLog.open(null, new PrintWriter(new StringWriter()));
        assertThat(off.enabled()).isFalse();
        off.write(line());
        off.close();

        StringWriter stdout = new StringWriter();
        AccessLog toStdout = AccessLog.open("-", new PrintWriter(stdout));
        assertThat(toStdout.enabled()).isTrue();
        toStdout.write(line());
        assertThat(stdout.toString()).as("flushed at once").isEqualTo("{\"time\":\"2026-12-02T00:00:00Z\","
                + "\"remote\":\"127.0.0.1\",\"client\":\"10.1.2.3\",\"endpoint\":\"authz\",\"status\":200,"
                + "\"decision\":\"allow\",\"reason\":\"valid\",\"token_id\":\"tctl_0123456789abcdef\","
                + "\"detail\":null,\"duration_ms\":1.5}\n");
        PrintWriter standardOutput = new PrintWriter(stdout);
        AccessLog.open("-", standardOutput).close();
        standardOutput.print("still open");
        assertThat(standardOutput.checkError()).as("stdout is not the log's to close").isFalse();

        Path file = dir.resolve("access.log");
        AccessLog toFile = AccessLog.open(file.toString(), new PrintWriter(stdout));
        toFile.write(line());
        assertThat(Files.readAllLines(file)).as("flushed at once").hasSize(1);
        toFile.write(line());
        toFile.close();
        toFile.write(line());
        assertThat(Files.readAllLines(file)).as("nothing after close").hasSize(2).allMatch(l -> l.startsWith("{\"time\""));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        Files.createSymbolicLink(dir.resolve("link.log"), file);
        assertThatThrownBy(() -> AccessLog.open(dir.resolve("link.log").toString(), new PrintWriter(stdout)))
                .isInstanceOf(TokenctlException.class).hasMessageContaining("is a symbolic link");
    }

    private static AccessLog.Line line() {
        return new AccessLog.Line("2026-12-02T00:00:00Z", "127.0.0.1", "10.1.2.3", "authz", 200, "allow", "valid",
                "tctl_0123456789abcdef", null, 1.5);
    }
}
