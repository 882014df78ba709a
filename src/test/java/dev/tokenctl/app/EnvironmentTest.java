package dev.tokenctl.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where tokenctl keeps its files, from the environment: as the launcher does, never in a directory others share. */
class EnvironmentTest {
    private static Environment of(Map<String, String> env) {
        return new Environment(env, Clock.systemUTC(), InputStream.nullInputStream(), "t");
    }

    @Test
    void xdgCacheHomeElseHomesCache() {
        assertThat(of(Map.of("XDG_CACHE_HOME", "/x/cache", "HOME", "/home/u")).cacheDirectory()).isEqualTo(Path.of("/x/cache/tokenctl"));
        assertThat(of(Map.of("XDG_CACHE_HOME", "", "HOME", "/home/u")).cacheDirectory()).isEqualTo(Path.of("/home/u/.cache/tokenctl"));
        assertThat(of(Map.of("XDG_CACHE_HOME", "relative", "HOME", "/home/u")).cacheDirectory())
                .as("XDG says to ignore a relative path").isEqualTo(Path.of("/home/u/.cache/tokenctl"));
    }

    @Test
    void noCacheWithoutHomeOrXdgCacheHome() {
        assertThat(of(Map.of()).cacheDirectory()).isNull();
        assertThat(of(Map.of("HOME", "")).cacheDirectory()).isNull();
        assertThat(of(Map.of("HOME", "relative", "XDG_CACHE_HOME", "relative")).cacheDirectory()).isNull();
    }

    @Test
    void theStoreIsInXdgDataHomeElseHomeElseTheUsersRecordedHome() {
        assertThat(of(Map.of("XDG_DATA_HOME", "/x/data", "HOME", "/home/u")).dataDirectory()).isEqualTo(Path.of("/x/data/tokenctl"));
        assertThat(of(Map.of("XDG_DATA_HOME", "rel", "HOME", "/home/u")).dataDirectory())
                .isEqualTo(Path.of("/home/u/.local/share/tokenctl"));
        Path recorded = Path.of(System.getProperty("user.home"), ".local/share/tokenctl");
        // An empty or relative HOME would put the store in / or wherever the command runs.
        assertThat(of(Map.of("HOME", "")).dataDirectory()).isEqualTo(recorded);
        assertThat(of(Map.of("HOME", "relative")).dataDirectory()).isEqualTo(recorded);
        assertThat(of(Map.of()).dataDirectory()).isEqualTo(recorded);
    }

    @Test
    void theSystemsEnvironmentIsThisProcesssOwn() {
        Environment system = Environment.system();
        assertThat(system.variable("PATH")).isEqualTo(System.getenv("PATH"));
    }

    @Test
    void theExpiryGaugesSayTheirWindowInSecondsWhenItIsNotWholeDays(@org.junit.jupiter.api.io.TempDir Path dir) {
        try (Application application = new Application(of(Map.of("TOKENCTL_DB", dir.resolve("t.db").toString(),
                "HOME", dir.toString())), warning -> { })) {
            StringBuilder out = new StringBuilder();
            TokenMetrics.write(application, java.time.Duration.ZERO, Map.of(), TokenMetrics.SERVE_MAX_SERIES, out);
            assertThat(out.toString()).contains("for tokens expiring within 0 seconds,");
        }
    }
}
