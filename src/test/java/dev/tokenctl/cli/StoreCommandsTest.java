package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenctl.core.AuditEvent;
import dev.tokenctl.core.Permission;
import dev.tokenctl.core.Store;
import dev.tokenctl.core.Token;
import dev.tokenctl.core.TokenFormat;
import dev.tokenctl.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** store info, and store copy into the other engine: everything arrives, and the tokens still verify. */
class StoreCommandsTest extends OnEachEngine {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void infoShowsTheEngineTheLocationTheSchemaVersionAndTheCounts() throws Exception {
        cli.create("kept");
        cli.create("gone");
        cli.ok("token", "revoke", "gone");
        cli.create("short", "--permission", "ReadHealthCheck", "--expires-in", "1h");
        cli.ok("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8");
        cli.clock.move(Duration.ofHours(2));

        JsonNode info = JSON.readTree(cli.ok("store", "info", "-o", "json").out());
        assertThat(info.get("engine").asText()).isEqualTo(engine == Engine.SQLITE ? "sqlite" : "postgresql");
        assertThat(info.get("location").asText()).isEqualTo(engine == Engine.SQLITE ? cli.db.toString() : cli.location);
        assertThat(info.get("schema_version").asInt()).isEqualTo(2);
        assertThat(info.get("tokens").asLong()).isEqualTo(3);
        assertThat(info.get("active_tokens").asLong()).isEqualTo(1);
        assertThat(info.get("expired_tokens").asLong()).isEqualTo(1);
        assertThat(info.get("revoked_tokens").asLong()).isEqualTo(1);
        assertThat(info.get("ip_filters").asLong()).isEqualTo(1);
        assertThat(info.get("audit_events").asLong()).isEqualTo(5);

        CliRunner.Result text = cli.ok("store", "info");
        assertThat(text.out()).contains("engine:         " + info.get("engine").asText() + "\n",
                "schema-version: 2\n", "tokens:         3 (1 active, 0 retiring, 1 expired, 1 revoked)\n",
                "ip-filters:     1\n", "audit-events:   5\n");
        assertThat(text.err()).isEmpty();
    }

    /**
     * Where a copy goes: into the other engine (a new database on the test server, or a file in
     * this test's directory), or into another SQLite file, so that store copy is tested without
     * a server too (from PostgreSQL, that is the other engine already).
     */
    private String target(String into) {
        cli.env.put("PGPASSWORD", String.valueOf(TestPostgres.PASSWORD));
        if (into.equals("another file")) {
            assumeTrue(engine == Engine.SQLITE, "from PostgreSQL, the other engine is a file");
        } else if (engine == Engine.SQLITE) {
            return TestPostgres.newDatabase();
        }
        return dir.resolve("copy.db").toString();
    }

    @ParameterizedTest(name = "into {0}")
    @ValueSource(strings = {"the other engine", "another file"})
    void copyBringsEverythingAndTheTokensStillVerify(String into) throws Exception {
        String target = target(into);
        cli.ok("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8", "--rule", "deny 10.6.0.0/16");
        cli.ok("policy", "set", "--max-expiry", "90d", "--default-expiry", "30d", "--allow-permission-updates", "true",
                "--yes");
        List<String> tokens = new ArrayList<>();
        tokens.add(cli.create("ci", "--permission", "ReadHealthCheck,ManageCluster", "--ip-filter", "office",
                "--description", "for CI"));
        tokens.add(cli.create("old"));
        tokens.add(cli.ok("token", "rotate", "old").line());
        tokens.add(cli.create("revoked"));
        cli.ok("token", "revoke", "revoked", "--reason", "left the team");
        cli.runWithInput(String.join("\n", tokens), "token", "verify", "--batch", "--ip", "10.1.2.3");
        cli.clock.move(Duration.ofMinutes(5));
        String[] views = {"token list --all -o json", "audit list -o json", "policy show -o yaml", "ipfilter list -o json"};
        List<String> before = new ArrayList<>();
        for (String view : views) {
            before.add(cli.ok(view.split(" ")).out());
        }
        JsonNode sourceInfo = JSON.readTree(cli.ok("store", "info", "-o", "json").out());

        CliRunner.Result copy = cli.run("store", "copy", "--to", target, "-o", "json");
        assertThat(copy.code()).as(copy.toString()).isZero();
        JsonNode copied = JSON.readTree(copy.out());
        assertThat(copied.get("tokens").asLong()).isEqualTo(4);
        assertThat(copied.get("ip_filters").asLong()).isEqualTo(1);
        assertThat(copied.get("audit_events").asLong()).isEqualTo(sourceInfo.get("audit_events").asLong());
        assertThat(copy.err()).isEmpty();

        cli.env.put("TOKENCTL_DB", target);
        for (int i = 0; i < views.length; i++) {
            assertThat(cli.ok(views[i].split(" ")).out()).as(views[i]).isEqualTo(before.get(i));
        }
        JsonNode targetInfo = JSON.readTree(cli.ok("store", "info", "-o", "json").out());
        assertThat(targetInfo.get("engine").asText()).isEqualTo(target.startsWith("postgresql:") ? "postgresql" : "sqlite");
        assertThat(targetInfo.get("location").asText()).isNotEqualTo(sourceInfo.get("location").asText());
        for (String count : List.of("tokens", "active_tokens", "expired_tokens", "revoked_tokens", "ip_filters", "audit_events")) {
            assertThat(targetInfo.get(count)).as(count).isEqualTo(sourceInfo.get(count));
        }
        CliRunner.Result verify = cli.runWithInput(String.join("\n", tokens), "token", "verify", "--batch", "--ip", "10.1.2.3");
        assertThat(verify.out().lines().map(l -> l.split(" ")[0] + " " + l.split(" ")[1]))
                .containsExactly("valid " + tokens.get(0).substring(0, 21), "denied: revoked",
                        "valid " + tokens.get(2).substring(0, 21), "denied: revoked");
        assertThat(cli.ok("token", "create", "--name", "after", "--permission", "ReadHealthCheck").err())
                .contains("in 30 days");
    }

    @ParameterizedTest(name = "into {0}")
    @ValueSource(strings = {"the other engine", "another file"})
    void copyMovesStoresLargerThanOneBatch(String into) throws Exception {
        String target = target(into);
        int count = 1234;  // over two batches of 500, and not a multiple of one
        SecureRandom random = new SecureRandom();
        TokenFormat format = new TokenFormat(random);
        List<String> sample = new ArrayList<>();
        try (Store store = Stores.open(cli.location, cli.env, "tester",
                Duration.ofSeconds(10), dir.resolve("cache"), null)) {
            List<Store.Credential> tokens = new ArrayList<>();
            List<AuditEvent> events = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = format.newId();
                String string = format.newToken(id);
                if (i % 300 == 0) {
                    sample.add(string);
                }
                tokens.add(new Store.Credential(new Token(id, "bulk-" + i, null,
                        EnumSet.of(Permission.ReadHealthCheck), CliRunner.START.plusMillis(i),
                        null, null, null, null, null, null, null, java.util.Map.of("batch", "b" + i % 3)),
                        TokenFormat.digest(string.substring(string.indexOf('~') + 1))));
                events.add(new AuditEvent(CliRunner.START.plusMillis(i), "seed", "create", id, "bulk " + i, 0));
            }
            store.transaction(() -> {
                store.insertTokens(tokens);
                store.audit(events);
                return null;
            });
        }
        CliRunner.Result copy = cli.run("store", "copy", "--to", target);
        assertThat(copy.code()).as(copy.toString()).isZero();
        assertThat(copy.out()).startsWith("copied 1234 tokens, 0 IP filters, the policy and 1234 audit events\n  from ");
        String auditBefore = cli.ok("audit", "list", "-o", "json").out();
        cli.env.put("TOKENCTL_DB", target);
        assertThat(cli.ok("audit", "list", "-o", "json").out()).isEqualTo(auditBefore);
        CliRunner.Result verify = cli.runWithInput(String.join("\n", sample), "token", "verify", "--batch");
        assertThat(verify.out().lines()).hasSize(sample.size()).allMatch(l -> l.startsWith("valid "));
    }

    @Test
    void copyRefusesATargetThatIsNotEmptyAndLeavesBothAsTheyWere() throws Exception {
        cli.create("one");
        CliRunner other = new CliRunner(dir.resolve("other"), engine);
        other.create("two");
        String source = cli.snapshot();
        String target = other.snapshot();
        cli.env.put("PGPASSWORD", String.valueOf(TestPostgres.PASSWORD));
        CliRunner.Result r = cli.run("store", "copy", "--to", other.location);
        assertThat(r.code()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).startsWith("tokenctl: error: the target store ").contains("is not empty: it holds 1 token, 0 IP filters and 1 audit event (copy into a new store)")
                .endsWith("(copy into a new store)\n");
        assertThat(r.out()).isEmpty();
        assertThat(cli.snapshot()).isEqualTo(source);
        assertThat(other.snapshot()).isEqualTo(target);

        if (engine == Engine.SQLITE) {
            // The same file by another name: refused as not empty before either store is locked,
            // rather than waiting on its own lock.
            Path link = Files.createSymbolicLink(dir.resolve("same.db"), Path.of(cli.location));
            cli.env.put("TOKENCTL_LOCK_TIMEOUT", "3s");
            long start = System.nanoTime();
            CliRunner.Result same = cli.run("store", "copy", "--to", link.toString());
            assertThat(same.code()).as(same.toString()).isEqualTo(4);
            assertThat(same.err()).contains("is not empty: it holds 1 token");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(cli.snapshot()).isEqualTo(source);
        }
        CliRunner.Result itself = cli.run("store", "copy", "--to", cli.location);
        assertThat(itself.code()).as(itself.toString()).isEqualTo(2);
        assertThat(itself.err()).contains("is the store being copied");
    }

    @Test
    void aPasswordOnTheCommandLineIsRefusedAndNeverEchoed() throws Exception {
        cli.create("one");
        String before = cli.snapshot();
        for (String[] args : List.of(new String[] {"store", "copy", "--to", "postgresql://me:hunter2@db.example.com/tokens"},
                new String[] {"--db", "postgresql://me:hunter2@db.example.com/tokens", "token", "list"},
                new String[] {"--db", "jdbc:postgresql://db.example.com/tokens?user=me&password=hunter2", "token", "list"},
                new String[] {"--db", "postgresql://db.example.com/tokens?password=hunter2", "store", "info", "--verbose"})) {
            CliRunner.Result r = cli.run(args);
            assertThat(r.code()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).as(r.toString()).contains("has a password in its URL", "PGPASSWORD", "~/.pgpass")
                    .doesNotContain("hunter2");
        }
        // Malformed URLs whose passwords hold '/', '?' or '@': no piece of the password in the error.
        for (String url : List.of("postgresql://app:Ab3/xy+Q@db.example.com/tokens",
                "postgresql://app:p?wd=1@db.example.com/tokens", "postgresql://app:p@ss?wd=1@db.example.com/x?foo=1")) {
            for (boolean onCommandLine : new boolean[] {false, true}) {
                cli.env.put("TOKENCTL_DB", onCommandLine ? cli.location : url);
                CliRunner.Result r = onCommandLine ? cli.run("--db", url, "store", "info") : cli.run("store", "info");
                assertThat(r.code()).as(url + "\n" + r).isEqualTo(2);
                assertThat(r.err()).as(url).doesNotContain("Ab3", "xy+Q", "p?wd", "wd=1", "p@ss", "ss?");
            }
        }
        cli.env.put("TOKENCTL_DB", cli.location);
        assertThat(cli.snapshot()).isEqualTo(before);
        assertThat(Files.exists(dir.resolve("tokens"))).isFalse();
    }
}
