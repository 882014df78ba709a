package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where tokenctl keeps files it can rebuild: as the launcher does, never in a directory others share. */
class CacheDirectoryTest {
    private static Path cacheDirectory(Map<String, String> env) {
        Context context = new Context(env, Clock.systemUTC(), ZoneOffset.UTC, InputStream.nullInputStream(), false, "t");
        return new TokenctlCommand(context).cacheDirectory();
    }

    @Test
    void xdgCacheHomeElseHomesCache() {
        assertThat(cacheDirectory(Map.of("XDG_CACHE_HOME", "/x/cache", "HOME", "/home/u"))).isEqualTo(Path.of("/x/cache/tokenctl"));
        assertThat(cacheDirectory(Map.of("XDG_CACHE_HOME", "", "HOME", "/home/u"))).isEqualTo(Path.of("/home/u/.cache/tokenctl"));
        assertThat(cacheDirectory(Map.of("XDG_CACHE_HOME", "relative", "HOME", "/home/u")))
                .as("XDG says to ignore a relative path").isEqualTo(Path.of("/home/u/.cache/tokenctl"));
    }

    @Test
    void noCacheWithoutHomeOrXdgCacheHome() {
        assertThat(cacheDirectory(Map.of())).isNull();
        assertThat(cacheDirectory(Map.of("HOME", ""))).isNull();
        assertThat(cacheDirectory(Map.of("HOME", "relative", "XDG_CACHE_HOME", "relative"))).isNull();
    }
}
