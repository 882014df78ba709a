package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A token string is shown once, where it was asked for, and nowhere else: not in the store or
 * its WAL or database, the audit log, error messages, --verbose output or stack traces.
 */
class SecretsTest extends OnEachEngine {

    @Test
    void tokenStringsAppearNowhereButWhereTheyWereIssued() throws Exception {
        List<String> tokens = new ArrayList<>();
        StringBuilder elsewhere = new StringBuilder();
        tokens.add(cli.create("text"));
        CliRunner.Result json = cli.run("token", "create", "--name", "json", "--permission", "ManageCluster",
                "--no-expiry", "-o", "json", "--verbose");
        tokens.add(json.out().replaceAll("(?s).*\"token\" : \"([^\"]+)\".*", "$1"));
        cli.run("token", "create", "--name", "file", "--permission", "ReadHealthCheck", "--no-expiry",
                "--secret-out", dir.resolve("file.token").toString());
        tokens.add(Files.readString(dir.resolve("file.token")).strip());
        CliRunner.Result rotated = cli.run("token", "rotate", "text", "--verbose");
        tokens.add(rotated.line());
        elsewhere.append(json.err()).append(rotated.err());
        assertThat(tokens).allMatch(t -> t.matches("tctl_\\w{16}~\\w{49}"));

        List<CliRunner.Result> runs = new ArrayList<>();
        for (String token : tokens) {
            runs.add(cli.runWithInput(token, "token", "verify", "--verbose", "--require", "PatchGlobal"));
            runs.add(cli.runWithInput(token, "token", "verify", "--verbose", "-o", "yaml"));
            runs.add(cli.runWithInput(token + "x", "token", "verify", "--verbose"));
            runs.add(cli.runWithInput(token + "\n" + token, "token", "verify", "--verbose"));
            runs.add(cli.runWithInput(token.substring(0, 60), "token", "verify", "--verbose", "-o", "json"));
            runs.add(cli.runWithInput(token, "token", "verify", "--ip", "not an address", "--verbose"));
        }
        runs.add(cli.runWithInput(String.join("\n", tokens), "token", "verify", "--batch", "-o", "json", "--verbose"));
        runs.add(cli.run("token", "create", "--name", "json", "--permission", "ReadHealthCheck", "--no-expiry", "--verbose"));
        runs.add(cli.run("token", "create", "--name", "x", "--permission", "ReadHealthCheck", "--no-expiry",
                "--secret-out", dir.resolve("file.token").toString(), "--verbose"));
        runs.add(cli.run("token", "revoke", "json", "file", "--verbose"));
        runs.add(cli.run("token", "list", "--all", "-o", "json"));
        runs.add(cli.run("token", "list", "--all", "-o", "yaml"));
        runs.add(cli.run("token", "show", "text", "--verbose"));
        runs.add(cli.run("audit", "list", "-o", "json"));
        runs.add(cli.run("audit", "list"));
        for (String token : tokens) {
            // A token string pasted where an id or name belongs.
            runs.add(cli.run("token", "show", token));
            runs.add(cli.run("token", "revoke", token, "--verbose"));
            runs.add(cli.run("token", "verify", token));
            runs.add(cli.run("audit", "list", "--token", token));
        }
        for (CliRunner.Result r : runs) {
            elsewhere.append(r.out()).append(r.err());
        }
        assertThat(elsewhere.toString()).contains("\tat ", "denied: missing-permission", "verify-denied",
                "~<secret hidden>");

        String stored = cli.storeContents();
        for (String token : tokens) {
            String secret = token.substring(token.indexOf('~') + 1);
            assertThat(elsewhere.toString()).doesNotContain(token).doesNotContain(secret)
                    .doesNotContain(secret.substring(0, 20));
            assertThat(stored).as("the store").doesNotContain(secret.substring(0, 20));
        }
    }
}
