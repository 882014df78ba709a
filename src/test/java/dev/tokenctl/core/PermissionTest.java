package dev.tokenctl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class PermissionTest {
    @Test
    void catalogHasTheSixteenLogScalePermissions() {
        assertThat(Permission.values()).hasSize(16);
        assertThat(EnumSet.allOf(Permission.class)).extracting(p -> p.group().label())
                .containsOnly("Cluster management", "Organization management", "Subdomains", "Other");
    }

    @Test
    void matchesCaseInsensitivelyAndSuggestsCloseNames() {
        assertThat(Permission.parse("readhealthcheck")).isEqualTo(Permission.ReadHealthCheck);
        assertThat(Permission.parseList("ListSubdomains, changesubdomains"))
                .containsExactly(Permission.ChangeSubdomains, Permission.ListSubdomains);
        assertThatThrownBy(() -> Permission.parse("ReadHealth"))
                .hasMessageContaining("did you mean ReadHealthCheck");
        assertThatThrownBy(() -> Permission.parse("ManageOrganisations"))
                .hasMessageContaining("ManageOrganizations");
        assertThatThrownBy(() -> Permission.parse("zzz")).hasMessageContaining("tokenctl permissions list");
        assertThatThrownBy(() -> Permission.parseList("ReadHealthCheck,,ListSubdomains"))
                .hasMessageContaining("empty permission name");
    }

    @Test
    void findAnswersWithoutAnErrorAndNullForAnythingElse() {
        assertThat(Permission.find("MANAGECLUSTER")).isEqualTo(Permission.ManageCluster);
        assertThat(Permission.find("ManageOrganizationLinks")).isEqualTo(Permission.ManageOrganizationLinks);
        assertThat(Permission.find("ReadHealth")).isNull();
        assertThat(Permission.find("")).isNull();
        assertThat(Permission.find("x".repeat(100_000))).isNull();
    }
}
