package dev.tokenctl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Required permissions as both faces read them: one rule, cheap whatever a client sends. */
class RequirementTest {
    private static Requirement of(String... lists) {
        return Requirement.of(List.of(lists));
    }

    @Test
    void namesFromEveryListMatchCaseInsensitivelyAndBlankEntriesAreIgnored() {
        Requirement r = of("readhealthcheck, ViewOrganizations", "", " , ,ListSubdomains,", "READHEALTHCHECK");
        assertThat(r.permissions()).containsExactlyInAnyOrder(Permission.ReadHealthCheck, Permission.ViewOrganizations,
                Permission.ListSubdomains);
        assertThat(r.unknown()).isEmpty();
        assertThat(r.refused()).isFalse();
        assertThat(r.check()).isSameAs(r);
        assertThat(of().permissions()).as("no list: nothing required").isEmpty();
        assertThat(of(",,", " ").refused()).isFalse();
    }

    @Test
    void aNameThatIsNotAPermissionRefusesTheWholeRequirement() {
        Requirement r = of("ReadHealthCheck,NoSuchPermission", "Read Health Check");
        assertThat(r.refused()).isTrue();
        assertThat(r.unknown()).containsExactly("NoSuchPermission", "Read Health Check");
        assertThat(r.permissions()).containsExactly(Permission.ReadHealthCheck);
        assertThatThrownBy(r::check).isInstanceOfSatisfying(TokenctlException.class,
                        e -> assertThat(e.kind()).isEqualTo(TokenctlException.Kind.INVALID))
                .hasMessage("unknown permission 'NoSuchPermission' (run 'tokenctl permissions list' for the catalog)");
        assertThatThrownBy(() -> of("ReadHealthChek").check())
                .hasMessage("unknown permission 'ReadHealthChek' (did you mean ReadHealthCheck?)");
    }

    @Test
    void onlyAFewUnknownNamesAreKeptEachCutShortAndSafeToShow() {
        String huge = "x".repeat(16 * 1024);
        Requirement r = of("a,b", "c\u001b[31m,d,e", huge);
        assertThat(r.unknown()).containsExactly("a", "b", "c\\u001b[31m");
        Requirement longName = of(huge + ",ReadHealthCheck");
        assertThat(longName.unknown()).containsExactly("x".repeat(100) + "...");
        assertThat(of("tctl_0123456789abcdef~secretpart").unknown())
                .containsExactly("tctl_0123456789abcdef~<secret hidden>");
    }

    @Test
    void atMost64NamesAreReadAndMoreRefuseTheRequirementWhole() {
        List<String> names = Collections.nCopies(Requirement.MAX_NAMES, "ReadHealthCheck");
        Requirement most = Requirement.of(List.of(String.join(",", names)));
        assertThat(most.refused()).isFalse();
        assertThat(most.permissions()).containsExactly(Permission.ReadHealthCheck);

        Requirement oneMore = Requirement.of(List.of(String.join(",", names), "ListSubdomains"));
        assertThat(oneMore.refused()).isTrue();
        assertThat(oneMore.unknown()).containsExactly(Requirement.TOO_MANY);
        assertThat(oneMore.permissions()).isEmpty();
        assertThatThrownBy(oneMore::check).isInstanceOf(TokenctlException.class)
                .hasMessage("more than 64 permission names (name each permission once)");

        // Blank entries are no names; a flood of unknown ones stops at the limit, kept or not.
        assertThat(of(",".repeat(10_000) + "ReadHealthCheck").permissions()).containsExactly(Permission.ReadHealthCheck);
        Requirement flood = of("nope,".repeat(4000));
        assertThat(flood.unknown()).containsExactly(Requirement.TOO_MANY);
    }

    @Test
    void aRequirementIsAValueItsCallerCannotChange() {
        Requirement r = of("ReadHealthCheck");
        assertThatThrownBy(() -> r.permissions().add(Permission.ManageCluster)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(r).isEqualTo(of("readhealthcheck"));
    }
}
