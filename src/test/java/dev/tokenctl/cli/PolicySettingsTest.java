package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenctl.core.PolicySetting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every policy setting, defined once in core, reaches every face: policy set's options and
 * help, the policy file, policy show in each format, and the audit's old and new values.
 */
class PolicySettingsTest {
    /** A value other than the default for each setting. */
    private static final Map<PolicySetting, String> CHANGED = Map.of(
            PolicySetting.TOKENS_ENABLED, "false",
            PolicySetting.MAX_EXPIRY, "30d",
            PolicySetting.DEFAULT_EXPIRY, "1d",
            PolicySetting.ENFORCED_IP_FILTER, "office",
            PolicySetting.ALLOW_PERMISSION_UPDATES, "true",
            PolicySetting.MAX_ROTATION_GRACE, "15m");

    @TempDir
    Path dir;

    @Test
    void everySettingHasAValueForThisTest() {
        assertThat(CHANGED).containsOnlyKeys(PolicySetting.values());
    }

    @ParameterizedTest
    @EnumSource(PolicySetting.class)
    void everySettingIsAnOptionAFileKeyShownAndAudited(PolicySetting setting) throws Exception {
        String value = CHANGED.get(setting);
        CliRunner flags = new CliRunner(dir.resolve("flags"));
        flags.ok("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8");
        assertThat(flags.ok("policy", "set", "--help").out().replaceAll("\\s+", " "))
                .contains(setting.flag() + "=" + setting.valueLabel(), setting.description());
        assertThat(flags.ok("policy", "show").out()).contains(setting.label() + ":");
        assertThat(flags.ok("policy", "show", "-o", "json").out()).contains("\"" + setting.key() + "\"");
        flags.ok("policy", "set", setting.flag(), value, "--yes");
        assertThat(flags.ok("policy", "show").out()).containsPattern(setting.label() + ": +" + value + "\n");
        assertThat(flags.ok("audit", "list").out()).contains(setting.label() + ": ").contains("-> " + value);

        CliRunner file = new CliRunner(dir.resolve("file"));
        file.ok("ipfilter", "add", "office", "--rule", "allow 10.0.0.0/8");
        Path policy = dir.resolve(setting.key() + ".yaml");
        Files.writeString(policy, setting.key() + ": " + (setting.type() == PolicySetting.Type.BOOLEAN ? value
                : "'" + value + "'") + "\n");
        file.ok("policy", "set", "--file", policy.toString(), "--yes");
        assertThat(file.ok("policy", "show", "-o", "yaml").out()).contains(setting.key() + ": ");
        assertThat(file.ok("policy", "show").out()).containsPattern(setting.label() + ": +" + value + "\n");
        assertThat(file.ok("audit", "list", "-o", "json").out()).contains(setting.label() + ": ");
    }
}
