package dev.tokenctl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenctl.app.Application;
import dev.tokenctl.testing.LocalStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Revoking exactly the tokens reviewed: fingerprints, and the listed tokens that can no longer be revoked. */
class SelectionTest {
    @TempDir
    Path dir;

    @Test
    void aFingerprintIsTheCountAndADigestOfTheSortedDistinctIds() {
        String one = Selection.fingerprint(List.of("tctl_b", "tctl_a"));
        assertThat(one).matches("2-[0-9a-f]{12}").isEqualTo(Selection.fingerprint(List.of("tctl_a", "tctl_b", "tctl_a")));
        assertThat(Selection.fingerprint(List.of("tctl_a"))).startsWith("1-").isNotEqualTo(one);
        assertThat(Selection.fingerprint(List.of("tctl_a", "tctl_c"))).startsWith("2-").isNotEqualTo(one);
        assertThat(Selection.fingerprint(List.of())).as("SHA-256 of nothing").isEqualTo("0-e3b0c44298fc");
        assertThat(Selection.fingerprint(List.of("a"))).as("SHA-256 of 'a\\n'").isEqualTo("1-87428fc52280");
    }

    @Test
    void aFingerprintIsReadAsADryRunPrintsIt() {
        assertThat(Selection.parseFingerprint("2-3F9A2C41B7D0")).isEqualTo("2-3f9a2c41b7d0");
        assertThat(Selection.parseFingerprint(" 0-e3b0c44298fc\n")).isEqualTo("0-e3b0c44298fc");
        assertThat(Selection.parseFingerprint("123456789-e3b0c44298fc")).isEqualTo("123456789-e3b0c44298fc");
        for (String bad : List.of("3f9a2c41b7d0", "2-3f9a2c41b7d", "2-3f9a2c41b7d00", "02-3f9a2c41b7d0",
                "1234567890-e3b0c44298fc", "2_3f9a2c41b7d0", "")) {
            assertThatThrownBy(() -> Selection.parseFingerprint(bad)).as(bad)
                    .isInstanceOfSatisfying(TokenctlException.class,
                            e -> assertThat(e.kind()).isEqualTo(TokenctlException.Kind.INVALID))
                    .hasMessageContaining("is not a fingerprint").hasMessageContaining("e.g. 2-3f9a2c41b7d0");
        }
    }

    @Test
    void aChangedSelectionSaysHowItChanged() {
        Selection now = new Selection(List.of(), Selection.fingerprint(List.of("tctl_a", "tctl_b", "tctl_c")));
        now.require(now.fingerprint());
        assertThatThrownBy(() -> now.require(Selection.fingerprint(List.of("tctl_a", "tctl_b"))))
                .isInstanceOfSatisfying(TokenctlException.class,
                        e -> assertThat(e.kind()).isEqualTo(TokenctlException.Kind.CONFLICT))
                .hasMessage("the selection is now 3 tokens, not the 2 reviewed; nothing was revoked (run --dry-run again)");
        assertThatThrownBy(() -> now.require(Selection.fingerprint(List.of("tctl_a", "tctl_b", "tctl_d"))))
                .hasMessage("the selection is now 3 tokens, but not the 3 reviewed; nothing was revoked"
                        + " (run --dry-run again)");
    }

    @Test
    void listedIdsMustBeTokenIds() {
        assertThatThrownBy(() -> new Selection.Listed(Set.of(), Map.of())).hasMessageContaining("no token id given");
        assertThatThrownBy(() -> new Selection.Listed(Set.of("billing-api"), Map.of()))
                .hasMessageContaining("'billing-api' is not a token id");
        Map<String, String> anyValue = new LinkedHashMap<>();
        anyValue.put("team", null);
        assertThat(new Selection.Labelled(anyValue).selector()).containsEntry("team", null);
    }

    @Test
    void listedTokensAreRevokedAllOrNoneAndTheRefusalNamesAtMostThree() {
        LocalStore local = new LocalStore(dir);
        Set<String> ids = new LinkedHashSet<>();
        for (String name : List.of("a", "b", "c", "d", "e")) {
            ids.add(local.newTokenId(name));
        }
        List<String> all = List.copyOf(ids);
        try (Application application = local.application()) {
            TokenService tokens = application.tokens();
            assertThat(tokens.revoke(new Selection.Listed(Set.of(all.get(0), all.get(1), all.get(2)), Map.of()), null,
                    null)).hasSize(3);
            Selection.Listed three = new Selection.Listed(Set.of(all.get(0), all.get(1), all.get(2), all.get(3)), Map.of());
            assertThatThrownBy(() -> tokens.revoke(three, null, null))
                    .isInstanceOfSatisfying(TokenctlException.class,
                            e -> assertThat(e.kind()).isEqualTo(TokenctlException.Kind.CONFLICT))
                    .hasMessageContaining("3 of the 4 tokens listed can no longer be revoked: ")
                    .hasMessageNotContaining("more");
            Selection.Listed four = new Selection.Listed(Set.of(all.get(0), all.get(1), all.get(2), all.get(4)),
                    Map.of("team", "x"));
            assertThatThrownBy(() -> tokens.select(four, null))
                    .hasMessageContaining("4 of the 4 tokens listed")
                    .hasMessageContaining(" and 1 more; nothing was revoked");
            assertThat(tokens.select(new Selection.Listed(Set.of(all.get(4), all.get(3)), Map.of()), null).tokens())
                    .extracting(Token::name).containsExactlyInAnyOrder("d", "e");
        }
    }
}
