package dev.tokenctl.startup;

import dev.tokenctl.app.Application;
import dev.tokenctl.app.ServeOptions;
import dev.tokenctl.app.Server;
import dev.tokenctl.cli.Cli;
import dev.tokenctl.cli.Context;
import dev.tokenctl.cli.StandardOutput;
import dev.tokenctl.http.HttpServerFace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the common commands once against a throw-away store, so that a class-data-sharing
 * archive dumped at the end of this process holds the classes real runs load. The launcher
 * runs it when it builds an archive, with the kind of archive as argument: {@code text} for
 * every command with text output on SQLite, {@code json} for json and yaml output too, and
 * {@code all} for everything, serve and PostgreSQL too. It prints nothing and touches no real
 * store.
 */
public final class Train {
    private Train() {
    }

    public static void main(String[] args) throws IOException {
        String kind = args.length == 0 ? "all" : args[0];
        List<String> formats = kind.equals("text") ? List.of("text") : List.of("text", "json", "yaml");
        Path dir = Files.createTempDirectory("tokenctl-train");
        try {
            // HOME as the real runs have it, so the native library is cached where they look (or
            // nowhere, without one).
            Map<String, String> env = new java.util.HashMap<>(Map.of("TOKENCTL_DB", dir.resolve("tokens.db").toString()));
            if (System.getenv("HOME") != null) {
                env.put("HOME", System.getenv("HOME"));
            }
            // What Main does before it runs a command line.
            Utf8Arguments.of(args);
            StandardOutput.writer();
            Context.system();
            String token = run(env, "", "token", "create", "--name", "t", "--permission", "ReadHealthCheck",
                    "--expires-in", "1d").strip();
            run(env, "", "token", "create", "--name", "j", "--permission", "ManageCluster", "--no-expiry");
            run(env, "", "token", "create", "--name", "y", "--permission", "ManageCluster", "--no-expiry");
            for (String format : formats) {
                run(env, "", "token", "create", "--name", "c" + format, "--permission", "ManageCluster", "--no-expiry", "-o", format);
                run(env, "", "token", "list", "-o", format);
                run(env, "", "token", "show", "t", "-o", format);
                run(env, token + "\n", "token", "verify", "-o", format);
                run(env, token + "\ngarbage\n", "token", "verify", "--batch", "-o", format);
                run(env, "", "policy", "show", "-o", format);
                run(env, "", "audit", "list", "-o", format);
                run(env, "", "ipfilter", "list", "-o", format);
                run(env, "", "store", "info", "-o", format);
            }
            run(env, "", "ipfilter", "add", "f", "--rule", "allow 10.0.0.0/8", "--rule", "allow 2001:db8::/32");
            run(env, "", "ipfilter", "test", "f", "10.1.2.3");
            run(env, "", "policy", "set", "--max-expiry", "30d", "--yes");
            run(env, "", "token", "update", "y", "--description", "d", "--label", "k=v");
            run(env, "", "token", "rotate", "t");
            run(env, "", "token", "revoke", "j");
            run(env, "", "permissions", "list");
            run(env, "", "token", "create", "--name", "x", "--permission", "Nope", "--expires-in", "0d");
            run(env, "", "--version");
            run(env, "", "--help");
            run(env, "", "token", "create", "--help");
            if (kind.equals("all")) {
                serve(env, token);
                loadPostgresClasses();
            }
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

    /**
     * Serves on a free loopback port, answers a request of each endpoint, and stops: the
     * server's classes are then in the archive, and its first answer comes sooner.
     */
    private static void serve(Map<String, String> env, String token) {
        Context context = new Context(env, Clock.systemUTC(), ZoneId.systemDefault(),
                new ByteArrayInputStream(new byte[0]), false, "train");
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        Application application = Cli.application(context, quiet);
        ServeOptions options = new ServeOptions("127.0.0.1", 0, List.of(), List.of("t"), null, null, false, null,
                Duration.ofDays(30));
        try (Server.Running server = new HttpServerFace().start(options, application.forServer(), quiet, quiet)) {
            String bearer = "Authorization: Bearer " + token + "\r\n";
            String form = "token=" + token;
            for (String request : new String[] {
                "GET /v1/authz?require=ReadHealthCheck HTTP/1.1\r\nHost: t\r\n" + bearer + "Connection: close\r\n\r\n",
                "GET /v1/authz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                "POST /v1/introspect HTTP/1.1\r\nHost: t\r\n" + bearer + "Content-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: " + form.length() + "\r\nConnection: close\r\n\r\n" + form,
                "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                "GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"}) {
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.address().getPort())) {
                    socket.setSoTimeout(5000);
                    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                    socket.getInputStream().readAllBytes();
                }
            }
        } catch (IOException | RuntimeException e) {
            // No server here: runs of serve only start slower.
        }
    }

    /**
     * Loads what a first connection to PostgreSQL uses, without a server: every class of the
     * driver, the socket path up to a refused connection, and SCRAM's key derivation.
     */
    private static void loadPostgresClasses() {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(Path.of(
                org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toFile())) {
            ClassLoader loader = Train.class.getClassLoader();
            for (java.util.jar.JarEntry entry : java.util.Collections.list(jar.entries())) {
                String name = entry.getName();
                if (name.endsWith(".class") && !name.startsWith("META-INF") && !name.endsWith("module-info.class")) {
                    try {
                        Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                    } catch (ClassNotFoundException | LinkageError e) {
                        // A class for a platform this is not (SSPI, OSGi): never loaded in a real run either.
                    }
                }
            }
            javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(
                    new javax.crypto.spec.PBEKeySpec("x".toCharArray(), new byte[16], 16, 256));
        } catch (Exception e) {
            // The classes are not where expected: runs are only slower.
        }
        run(Map.of("TOKENCTL_DB", "postgresql://train@127.0.0.1:1/train?connect_timeout=1"), "", "store", "info");
    }
}
