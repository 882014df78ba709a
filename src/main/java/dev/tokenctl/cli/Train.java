package dev.tokenctl.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the common commands once against a throw-away store, so that a class-data-sharing
 * archive dumped at the end of this process holds the classes real runs load. The launcher
 * runs it when it builds the archive; it prints nothing and touches no real store.
 */
public final class Train {
    private Train() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("tokenctl-train");
        try {
            String db = dir.resolve("tokens.db").toString();
            Map<String, String> env = Map.of("TOKENCTL_DB", db, "HOME", System.getProperty("user.home"));
            String token = run(env, "", "token", "create", "--name", "t", "--permission", "ReadHealthCheck",
                    "--expires-in", "1d").strip();
            run(env, "", "token", "create", "--name", "j", "--permission", "ManageCluster", "--no-expiry", "-o", "json");
            run(env, "", "token", "create", "--name", "y", "--permission", "ManageCluster", "--no-expiry", "-o", "yaml");
            for (String format : new String[] {"text", "json", "yaml"}) {
                run(env, "", "token", "list", "-o", format);
                run(env, "", "token", "show", "t", "-o", format);
                run(env, token + "\n", "token", "verify", "-o", format);
                run(env, token + "\ngarbage\n", "token", "verify", "--batch", "-o", format);
                run(env, "", "policy", "show", "-o", format);
                run(env, "", "audit", "list", "-o", format);
            }
            run(env, "", "ipfilter", "add", "f", "--rule", "allow 10.0.0.0/8", "--rule", "allow 2001:db8::/32");
            run(env, "", "ipfilter", "test", "f", "10.1.2.3");
            run(env, "", "policy", "set", "--max-expiry", "30d", "--yes");
            run(env, "", "token", "rotate", "t");
            run(env, "", "token", "revoke", "j");
            run(env, "", "permissions", "list");
            run(env, "", "token", "create", "--name", "x", "--permission", "Nope", "--expires-in", "0d");
            run(env, "", "--help");
            run(env, "", "token", "create", "--help");
            dev.tokenctl.store.Stores.loadPostgresClasses();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String run(Map<String, String> env, String stdin, String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        Context context = new Context(env, Clock.systemUTC(), ZoneId.systemDefault(),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false, "train");
        Main.run(context, new PrintWriter(out), new PrintWriter(Writer.nullWriter()), args);
        return out.toString();
    }
}
