package dev.tokenctl.app;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What the application takes from the process it runs in: its environment variables, a clock,
 * standard input and the user's name; tests give their own. The directories tokenctl uses
 * follow from the variables, as the XDG base directory specification lays out.
 */
public record Environment(Map<String, String> env, Clock clock, InputStream stdin, String user) {

    /** The real surroundings of this process. */
    public static Environment system() {
        return new Environment(System.getenv(), Clock.systemUTC(), System.in, System.getProperty("user.name", "unknown"));
    }

    /** An environment variable, or null when it is unset or empty. */
    public String variable(String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * ${XDG_DATA_HOME:-$HOME/.local/share}/tokenctl, where the default store lives. A relative
     * XDG_DATA_HOME is ignored, as the specification says; without an absolute HOME, the home
     * directory the system records for the user.
     */
    public Path dataDirectory() {
        String data = absolute("XDG_DATA_HOME");
        if (data == null) {
            String home = absolute("HOME");
            data = (home == null ? System.getProperty("user.home") : home) + "/.local/share";
        }
        return Path.of(data, "tokenctl");
    }

    /**
     * ${XDG_CACHE_HOME:-$HOME/.cache}/tokenctl, for files that can be rebuilt at any time; null,
     * for no cache, when neither names an absolute directory. As in the launcher, never a shared
     * directory such as /tmp: another user could put there what this process would run.
     */
    public Path cacheDirectory() {
        String cache = absolute("XDG_CACHE_HOME");
        if (cache == null) {
            String home = absolute("HOME");
            if (home == null) {
                return null;
            }
            cache = home + "/.cache";
        }
        return Path.of(cache, "tokenctl");
    }

    private String absolute(String name) {
        String value = variable(name);
        return value != null && value.startsWith("/") ? value : null;
    }
}
