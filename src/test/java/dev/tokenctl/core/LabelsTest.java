package dev.tokenctl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Labels as metrics name them and as people read them. */
class LabelsTest {
    @Test
    void aKeyIsNamedInMetricsWithItsDotsAndDashesWrittenAsUnderscores() {
        assertThat(Labels.metricName("a.b-c_d")).isEqualTo("label_a_b_c_d");
        assertThat(Labels.metricName("team")).isEqualTo("label_team");
    }

    @Test
    void aKeySetThatAnotherKeyWouldShareInMetricsIsRefusedNamingThatKey() {
        assertThatThrownBy(() -> Labels.change(Map.of("a.b", "1"), Map.of("a-b", "2"), List.of()))
                .isInstanceOfSatisfying(TokenctlException.class, e -> assertThat(e.kind()).isEqualTo(TokenctlException.Kind.INVALID))
                .hasMessage("label key 'a-b' would be written as label_a_b in metrics, as 'a.b' already is (use one of them)");
        assertThatThrownBy(() -> Labels.change(Map.of("x", "1", "a_b", "1"), Map.of("a.b", "2"), List.of()))
                .hasMessage("label key 'a.b' would be written as label_a_b in metrics, as 'a_b' already is (use one of them)");
        Map<String, String> both = new LinkedHashMap<>();
        both.put("a.b", "1");
        both.put("a_b", "2");
        assertThatThrownBy(() -> Labels.change(Map.of(), both, List.of()))
                .hasMessage("label key 'a_b' would be written as label_a_b in metrics, as 'a.b' is too (use one of them)");
    }

    @Test
    void aKeyMayReplaceItsValueOrAnotherKeyRemovedAtTheSameTime() {
        assertThat(Labels.change(Map.of("a.b", "1"), Map.of("a.b", "2"), List.of())).containsExactly(Map.entry("a.b", "2"));
        assertThat(Labels.change(Map.of("a.b", "1"), Map.of("a-b", "2"), List.of("a.b")))
                .containsExactly(Map.entry("a-b", "2"));
        assertThat(Labels.change(Map.of("a.b", "1"), Map.of("ab", "2"), List.of())).containsOnlyKeys("a.b", "ab");
    }

    @Test
    void aTokenStoredWithKeysThatShareAMetricNameCanStillBeChanged() {
        Map<String, String> stored = new TreeMap<>(Map.of("a.b", "1", "a_b", "2"));
        assertThat(Labels.change(stored, Map.of("team", "x"), List.of())).containsOnlyKeys("a.b", "a_b", "team");
        assertThatThrownBy(() -> Labels.change(stored, Map.of("a-b", "3"), List.of()))
                .hasMessageContaining("as 'a.b' already is");
    }

    @Test
    void showLeavesPlainValuesAloneAndQuotesAnyThatCouldPassForAnotherLabel() {
        Map<String, String> labels = new TreeMap<>();
        labels.put("a", "plain.value-1");
        labels.put("b", "x,c=y");
        assertThat(Labels.format(labels)).isEqualTo("a=plain.value-1,b=\"x,c=y\"");
        assertThat(Labels.format(Map.of())).isEmpty();
        assertThat(Labels.format(Map.of("k", ""))).isEqualTo("k=\"\"");
        assertThat(Labels.format(Map.of("k", "x,y"))).isEqualTo("k=\"x,y\"");
        assertThat(Labels.format(Map.of("k", "x=y"))).isEqualTo("k=\"x=y\"");
        assertThat(Labels.format(Map.of("k", "two words"))).isEqualTo("k=\"two words\"");
        assertThat(Labels.format(Map.of("k", "no\u00a0break"))).isEqualTo("k=\"no\u00a0break\"");
        assertThat(Labels.format(Map.of("k", "say \"hi\""))).isEqualTo("k=\"say \\\"hi\\\"\"");
        assertThat(Labels.format(Map.of("k", "\"x\""))).isEqualTo("k=\"\\\"x\\\"\"");
        assertThat(Labels.format(Map.of("k", "back\\slash"))).isEqualTo("k=\"back\\\\slash\"");
        assertThat(Labels.format(Map.of("k", "tab\tbell\u0007"))).isEqualTo("k=\"tab\\u0009bell\\u0007\"");
        assertThat(Labels.format(Map.of("k", "bidi\u202e"))).isEqualTo("k=\"bidi\\u202e\"");
        assertThat(Labels.format(Map.of("k", "caf\u00e9"))).isEqualTo("k=caf\u00e9");
    }

    @Test
    void aTokenMayHaveThirtyTwoLabelsAndNotOneMore() {
        Map<String, String> many = new TreeMap<>();
        for (int i = 0; i < 31; i++) {
            many.put("k" + i, "v");
        }
        assertThat(Labels.change(many, Map.of("last", "v"), List.of())).hasSize(32);
        assertThatThrownBy(() -> Labels.change(many, Map.of("last", "v", "extra", "v"), List.of()))
                .hasMessage("a token may have at most 32 labels, and this would give it 33 (give fewer)");
    }

    @Test
    void labelsAreKeptSortedByKeyUnchangeableAndStoredOneALineOrNotAtAll() {
        assertThat(Labels.copy(null)).isEmpty();
        assertThat(Labels.copy(Map.of())).isEmpty();
        Map<String, String> copied = Labels.copy(Map.of("b", "2", "a", "1"));
        assertThat(copied).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThatThrownBy(() -> copied.put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(Labels.encode(Map.of())).as("no labels: nothing stored").isNull();
        assertThat(Labels.encode(copied)).isEqualTo("a=1\nb=2\n");
    }
}
