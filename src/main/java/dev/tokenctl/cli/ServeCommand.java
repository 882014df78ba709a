package dev.tokenctl.cli;

import dev.tokenctl.app.ServeOptions;
import dev.tokenctl.app.Server;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "serve", sortOptions = false,
        description = "Answer token checks over HTTP for gateways (nginx auth_request, Traefik forwardAuth, Caddy"
                + " forward_auth, Envoy ext_authz) and RFC 7662 introspection, in the foreground until SIGTERM or SIGINT.",
        footerHeading = "%nEndpoints:%n",
        footer = {"  GET /v1/authz        check 'Authorization: Bearer TOKEN' against the",
                "                       permissions of every require query parameter and",
                "                       X-Tokenctl-Require header (any method; any path below",
                "                       it too, as Envoy sends)",
                "  POST /v1/introspect  RFC 7662 introspection, for --introspection-caller tokens",
                "  GET /healthz         ok when the store answers within a second, else 503",
                "  GET /metrics         Prometheus text: requests, their durations, token gauges",
                "",
                "Status of a token check:",
                "  200  valid",
                "  401  no token; or malformed, bad-checksum, unknown, revoked, expired,",
                "       tokens-disabled",
                "  403  ip-denied, ip-required, missing-permission, or a requirement naming",
                "       something not a permission (or more than 64 names)",
                "  503  store unavailable",
                "",
                "Headers of a 200 answer:",
                "  X-Token-Id           the token's id",
                "  X-Token-Name         its name (percent-encoded UTF-8 when not plain ASCII)",
                "  X-Token-Permissions  its permissions, comma-separated",
                "  X-Token-Expires-At   when it stops working, ISO-8601 UTC (for a retiring token",
                "                       the end of its grace); absent when it never expires",
                "",
                "Examples:",
                "  tokenctl serve                                   # http://127.0.0.1:8470",
                "  tokenctl serve --listen '[::1]:8470' --trusted-proxy 127.0.0.1 --access-log -",
                "  tokenctl serve --listen 0.0.0.0:8443 --tls-cert chain.pem --tls-key key.pem",
                "  curl -H \"Authorization: Bearer $T\" 'http://127.0.0.1:8470/v1/authz?require=ReadHealthCheck'"})
final class ServeCommand extends BaseCommand {
    /** The HTTP face, given by the start-up that builds the command line for serve. */
    Server server;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8470",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; [::1]:8470 for IPv6). A non-loopback"
                    + " address needs --tls-cert and --tls-key, or --insecure.")
    String listen;

    @Option(names = "--trusted-proxy", paramLabel = "SPEC",
            description = "A proxy (address or CIDR range) whose X-Forwarded-For and X-Real-IP name the client; repeat.")
    List<String> trustedProxies = List.of();

    @Option(names = "--introspection-caller", paramLabel = "NAME",
            description = "Name of a token that may call /v1/introspect; repeat.")
    List<String> introspectionCallers = List.of();

    @Option(names = "--tls-cert", paramLabel = "FILE", converter = Converters.PathConverter.class,
            description = "PEM certificate chain, to serve HTTPS.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", converter = Converters.PathConverter.class,
            description = "PEM private key of the certificate (PKCS#8, RSA or EC).")
    Path tlsKey;

    @Option(names = "--insecure", description = "Allow plain HTTP on an address other than loopback.")
    boolean insecure;

    @Option(names = "--access-log", paramLabel = "FILE|-",
            description = "Write one JSON line per request to this file, or to stdout for '-'.")
    String accessLog;

    @Option(names = "--metrics-expiry-window", paramLabel = "DURATION", converter = Converters.ExpiryWindowConverter.class,
            defaultValue = "30d",
            description = "Active tokens expiring within this get an expiry gauge in /metrics (default: ${DEFAULT-VALUE}).")
    Duration expiryWindow;

    @Override
    ExitCode run() throws Exception {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together (give both, or neither)");
        }
        int colon = listen.lastIndexOf(':');
        String host = colon < 0 ? "" : listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (colon < 0 || host.isEmpty() || !listen.substring(colon + 1).matches("[0-9]{1,5}")
                || Integer.parseInt(listen.substring(colon + 1)) > 65535) {
            throw new ParameterException(spec.commandLine(), "--listen '" + dev.tokenctl.core.Text.quoteSafe(listen)
                    + "' is not HOST:PORT (such as 127.0.0.1:8470 or [::1]:8470)");
        }
        // Heard from before the ready line: a SIGTERM sent as soon as it is read stops the server cleanly.
        CountDownLatch stop = new CountDownLatch(1);
        java.util.Map<sun.misc.Signal, sun.misc.SignalHandler> previous = new java.util.HashMap<>();
        for (String signal : new String[] {"TERM", "INT"}) {
            sun.misc.Signal s = new sun.misc.Signal(signal);
            previous.put(s, sun.misc.Signal.handle(s, heard -> stop.countDown()));
        }
        Server.Running running;
        try {
            running = server.start(new ServeOptions(host, Integer.parseInt(listen.substring(colon + 1)), trustedProxies,
                    introspectionCallers, tlsCert, tlsKey, insecure, accessLog, expiryWindow), app.forServer(), out(), err());
        } catch (RuntimeException refused) {
            previous.forEach(sun.misc.Signal::handle);
            throw refused;
        }
        try {
            stop.await();
        } finally {
            running.close();
        }
        return ExitCode.OK;
    }
}
