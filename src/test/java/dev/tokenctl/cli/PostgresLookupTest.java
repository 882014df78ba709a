package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenctl.core.Coalescer;
import dev.tokenctl.core.Permission;
import dev.tokenctl.core.Policy;
import dev.tokenctl.core.Store;
import dev.tokenctl.core.Token;
import dev.tokenctl.core.TokenFormat;
import dev.tokenctl.store.Stores;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Looking tokens up on PostgreSQL: any number of ids in one statement, the policy with them,
 * alone or gathered with the lookups of a server's other stores; what SQLite answers to the
 * same questions.
 */
class PostgresLookupTest {
    @TempDir
    Path dir;
    CliRunner cli;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir, Engine.POSTGRESQL);
    }

    private Store open(Coalescer<String, Store.Lookup> lookups) {
        return Stores.open(cli.location, cli.env, "tester", Duration.ofSeconds(10), dir.resolve("cache"), null, true, lookups);
    }

    /** Inserts {@code count} tokens and returns their ids, in order. */
    private static List<String> insert(Store store, int count) {
        TokenFormat format = new TokenFormat(new SecureRandom());
        List<Store.Credential> tokens = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = format.newId();
            ids.add(id);
            tokens.add(new Store.Credential(new Token(id, "bulk-" + i, null, EnumSet.of(Permission.ReadHealthCheck),
                    CliRunner.START.plusMillis(i), null, null, null, null, null, null, null, Map.of()),
                    TokenFormat.digest("secret-" + i)));
        }
        store.insertTokens(tokens);
        return ids;
    }

    @Test
    void manyIdsAreFoundInOneLookupWithThePolicyAndUnknownOnesAreLeftOut() throws Exception {
        cli.ok("policy", "set", "--max-expiry", "90d");
        try (Store store = open(null)) {
            List<String> ids = insert(store, 250);
            List<String> asked = new ArrayList<>(ids);
            asked.add("tctl_0000000000000000");
            asked.add("tctl_with\u0000nul");
            asked.add(ids.get(0));

            Store.Lookup found = store.lookup(asked);
            assertThat(found.policy()).isEqualTo(store.policy());
            assertThat(found.policy().maxExpiry()).isEqualTo(Duration.ofDays(90));
            assertThat(found.credentials()).containsOnlyKeys(ids);
            assertThat(found.credentials().get(ids.get(7)).digest()).isEqualTo(TokenFormat.digest("secret-7"));
            assertThat(found.credentials().get(ids.get(7)).token().name()).isEqualTo("bulk-7");
            assertThat(store.credentials(asked)).containsOnlyKeys(ids);
            assertThat(store.credentials(List.of("tctl_0000000000000000"))).isEmpty();

            Store.Lookup none = store.lookup(List.of("tctl_0000000000000000"));
            assertThat(none.policy()).isEqualTo(found.policy());
            assertThat(none.credentials()).isEmpty();

            // A policy row removed by hand reads as the default, as everywhere, and tokens are still found.
            cli.sql("DELETE FROM policy");
            Store.Lookup withoutPolicy = store.lookup(ids.subList(0, 3));
            assertThat(withoutPolicy.policy()).isEqualTo(Policy.DEFAULT);
            assertThat(withoutPolicy.credentials()).containsOnlyKeys(ids.subList(0, 3));
        }
    }

    @Test
    void storesSharingACoalescerAnswerAsAloneAndSeeWhatWasCommittedBeforeTheLookup() throws Exception {
        Coalescer<String, Store.Lookup> shared = new Coalescer<>();
        try (Store one = open(shared); Store other = open(shared)) {
            List<String> ids = insert(one, 3);
            assertThat(one.lookup(ids).credentials()).containsOnlyKeys(ids);
            assertThat(other.lookup(ids.subList(1, 2)).credentials()).containsOnlyKeys(ids.get(1));

            other.revokeToken(ids.get(1), CliRunner.START, "test");
            assertThat(one.lookup(ids.subList(1, 2)).credentials().get(ids.get(1)).token().revokedAt())
                    .isEqualTo(CliRunner.START);
            cli.ok("policy", "set", "--tokens-enabled", "false", "--yes");
            assertThat(other.lookup(ids).policy().tokensEnabled()).isFalse();
        }
    }
}
