package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Many processes of the real launcher against one store, as parallel CI jobs or many hosts would. */
@ParameterizedClass
@EnumSource(Engine.class)
class ConcurrencyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Tokens each of the eight writers creates, one process each: enough that every writer
     * meets the others' locks many times over, on two cores.
     */
    private static final int PER_WRITER = 5;
    /** Tokens revoked while the writers run, one in each round of the reader's list, verify and revoke. */
    private static final int VICTIMS = 5;

    @Parameter
    Engine engine;
    @TempDir
    Path dir;
    String location;
    Map<String, String> env;

    @BeforeEach
    void setUp() {
        location = engine.newStore(dir);
        if (engine == Engine.POSTGRESQL) {
            // A server whose default would let a writer work on a snapshot older than the lock it waited for.
            String database = location.substring(location.lastIndexOf('/') + 1);
            TestPostgres.execute(database, "ALTER DATABASE " + database + " SET default_transaction_isolation = 'repeatable read'");
        }
        env = engine.env(location);
        env.put("L", LauncherIT.LAUNCHER.toString());
    }

    private LauncherIT.Run tokenctl(String stdin, String... args) throws Exception {
        return LauncherIT.run(LauncherIT.LAUNCHER, dir, env, stdin, args);
    }

    /** Starts {@code sh -c script} with the store and launcher in $TOKENCTL_DB and $L. */
    private Process shell(String script) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void awaitAll(List<Process> processes) throws Exception {
        for (Process p : processes) {
            assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
    }

    @Test
    void eightWritersOfTenTokensEachWhileOthersListVerifyAndRevoke() throws Exception {
        List<String> victims = new ArrayList<>();
        for (int i = 0; i < VICTIMS; i++) {
            victims.add(InProcess.tokenctl(dir, env, "token", "create", "--name", "victim-" + i, "--permission",
                    "ReadHealthCheck", "--no-expiry"));
        }
        Files.writeString(dir.resolve("victims"), String.join("\n", victims) + "\n");
        List<Process> processes = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            processes.add(shell("for i in $(seq 1 " + PER_WRITER + "); do \"$L\" token create --name w" + w + "-$i"
                    + " --permission ReadHealthCheck --no-expiry >> w" + w + ".out 2>> w" + w + ".err"
                    + " || echo \"exit $? at $i\" >> w" + w + ".err; done"));
        }
        processes.add(shell("for i in $(seq 0 " + (VICTIMS - 1) + "); do \"$L\" token list -o json > /dev/null 2>> r.err || echo \"list $?\" >> r.err;"
                + " \"$L\" token verify --batch < victims >> verify.out 2>> r.err;"
                + " \"$L\" token revoke victim-$i >> revoke.out 2>> r.err || echo \"revoke $?\" >> r.err; done"));
        awaitAll(processes);

        StringBuilder errors = new StringBuilder();
        List<String> printed = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            errors.append(Files.readString(dir.resolve("w" + w + ".err")));
            printed.addAll(Files.readAllLines(dir.resolve("w" + w + ".out")));
        }
        errors.append(Files.readString(dir.resolve("r.err")));
        assertThat(errors.toString().lines().filter(l -> !l.startsWith("Created token") && !l.startsWith("  ")
                && !l.startsWith("Copy the token"))).as("stderr of all processes").isEmpty();
        assertThat(errors.toString()).doesNotContain("locked");
        assertThat(printed).hasSize(8 * PER_WRITER).allMatch(t -> t.startsWith("tctl_")).doesNotHaveDuplicates();

        LauncherIT.Run verify = tokenctl(String.join("\n", printed) + "\n", "token", "verify", "--batch");
        assertThat(verify.code()).as(verify.toString()).isZero();
        assertThat(verify.out().lines()).hasSize(8 * PER_WRITER).allMatch(l -> l.startsWith("valid "));

        JsonNode all = JSON.readTree(tokenctl("", "token", "list", "--all", "-o", "json").out());
        assertThat(all).hasSize(8 * PER_WRITER + VICTIMS);
        long revoked = 0;
        for (JsonNode t : all) {
            revoked += t.get("status").asText().equals("revoked") ? 1 : 0;
        }
        assertThat(revoked).isEqualTo(VICTIMS);
        assertThat(engine.integrity(location)).isEqualTo("ok");
    }

    @Test
    void concurrentPolicyAndFilterChangesEndInOneOfTheWrittenStates() throws Exception {
        InProcess.tokenctl(dir, env, "ipfilter", "add", "shared", "--rule", "allow all");
        InProcess.tokenctl(dir, env, "ipfilter", "add", "other", "--rule", "deny all");
        List<String> policies = new ArrayList<>();
        List<String> rules = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            String policy = "tokens_enabled: true\nmax_expiry: " + (w + 1) + "d\ndefault_expiry: " + (w + 1) + "h\n"
                    + "enforced_ip_filter: " + (w % 2 == 0 ? "shared" : "other") + "\nallow_permission_updates: "
                    + (w % 2 == 0) + "\nmax_rotation_grace: " + (w + 1) + "m\n";
            Files.writeString(dir.resolve("p" + w + ".yaml"), policy);
            policies.add(policy);
            rules.add("allow 10." + w + ".0.0/16\n");
        }
        List<Process> processes = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            processes.add(shell("for i in $(seq 1 3); do \"$L\" policy set --file p" + w + ".yaml --yes >/dev/null 2>> e" + w
                    + " || echo \"policy $?\" >> e" + w + "; \"$L\" ipfilter update shared --rule 'allow 10." + w
                    + ".0.0/16' > /dev/null 2>> e" + w + " || echo \"filter $?\" >> e" + w + "; done; touch e" + w));
        }
        awaitAll(processes);
        for (int w = 0; w < 4; w++) {
            assertThat(Files.readString(dir.resolve("e" + w))).as("stderr of worker " + w).isEmpty();
        }
        String finalPolicy = tokenctl("", "policy", "show", "-o", "yaml").out();
        assertThat(policies).contains(finalPolicy.replace("max_expiry: 1d\n", "max_expiry: 1d\n"));
        JsonNode filter = JSON.readTree(tokenctl("", "ipfilter", "show", "shared", "-o", "json").out());
        assertThat(rules).contains(filter.get("text").asText());
        assertThat(engine.integrity(location)).isEqualTo("ok");
    }

    @Test
    void eightFirstStartsOnANewStoreCreateItsSchemaOnce() throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            processes.add(shell("\"$L\" token create --name first-" + w + " --permission ReadHealthCheck --no-expiry"
                    + " > f" + w + ".out 2> f" + w + ".err || echo \"exit $?\" >> f" + w + ".err"));
        }
        awaitAll(processes);
        for (int w = 0; w < 8; w++) {
            assertThat(Files.readString(dir.resolve("f" + w + ".err"))).as("stderr of start " + w)
                    .startsWith("Created token").doesNotContain("exit", "error");
            assertThat(Files.readString(dir.resolve("f" + w + ".out"))).startsWith("tctl_");
        }
        JsonNode info = JSON.readTree(tokenctl("", "store", "info", "-o", "json").out());
        assertThat(info.get("schema_version").asInt()).isEqualTo(2);
        assertThat(info.get("tokens").asInt()).isEqualTo(8);
        assertThat(engine.integrity(location)).isEqualTo("ok");
    }
}
