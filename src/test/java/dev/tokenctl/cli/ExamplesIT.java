package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every file under examples/ against a temporary store, so none of them rots. */
class ExamplesIT {
    static final Path EXAMPLES = Path.of("examples").toAbsolutePath();

    @TempDir
    Path dir;
    Map<String, String> env;

    @BeforeEach
    void setUp() {
        env = new HashMap<>();
        env.put("TOKENCTL_DB", dir.resolve("tokens.db").toString());
        env.put("PATH", LauncherIT.LAUNCHER.getParent() + ":" + System.getenv("PATH"));
    }

    private LauncherIT.Run tokenctl(String stdin, String... args) throws Exception {
        return LauncherIT.run(LauncherIT.LAUNCHER, dir, env, stdin, args);
    }

    private LauncherIT.Run script(String name, String stdin, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = EXAMPLES.resolve(name).toString();
        System.arraycopy(args, 0, command, 1, args.length);
        return LauncherIT.run(Path.of("/bin/sh"), dir, env, stdin, command);
    }

    @Test
    void everyExampleIsCoveredHere() throws Exception {
        try (var files = Files.list(EXAMPLES)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
                    "Caddyfile", "apache-openidc.conf", "ci-rotate.sh", "deny-list.rules", "envoy.yaml", "gateway-verify.sh",
                    "haproxy.cfg", "ipv6.rules", "kong.yml", "nginx.conf", "office.rules", "policy.yaml", "tokenctl-serve.service",
                    "traefik.yml");
        }
    }

    /**
     * nginx.conf, Caddyfile, apache-openidc.conf and haproxy.cfg run in GatewaysIT; these gateways are not
     * installed here, so their files are read.
     */
    @Test
    void gatewayConfigurationsNotRunHereParseAndPointAtServe() throws Exception {
        for (String name : new String[] {"traefik.yml", "envoy.yaml", "kong.yml"}) {
            Object parsed = new org.yaml.snakeyaml.Yaml().load(Files.readString(EXAMPLES.resolve(name)));
            assertThat(parsed).as(name).isInstanceOf(java.util.Map.class);
        }
        assertThat(Files.readString(EXAMPLES.resolve("traefik.yml"))).contains("http://127.0.0.1:8470/v1/authz?require=",
                "trustForwardHeader: false", "X-Token-Name");
        assertThat(Files.readString(EXAMPLES.resolve("envoy.yaml"))).contains("path_prefix: /v1/authz", "X-Tokenctl-Require",
                "use_remote_address: true", "xff_num_trusted_hops: 0", "Envoy never replaces a client's X-Forwarded-For");
        String kong = Files.readString(EXAMPLES.resolve("kong.yml"));
        assertThat(kong).contains("http://127.0.0.1:8470/v1/introspect", "consumer_by: username", "name: post-function",
                "\" ReadHealthCheck \"");
        Map<String, Object> introspection = kongPlugin(kong, "oauth2-introspection");
        // 0 is no expiry at all: a revoked token would keep passing through Kong.
        assertThat(((Number) introspection.get("ttl")).doubleValue()).as("ttl").isGreaterThan(0).isLessThanOrEqualTo(1);
        assertThat(Files.readString(EXAMPLES.resolve("tokenctl-serve.service"))).contains("ExecStart=/usr/local/bin/tokenctl serve",
                "KillSignal=SIGTERM", "[Install]");
    }

    /** The lines GatewaysIT's checks rest on, read even where those gateways are not installed and it skips them. */
    @Test
    void gatewayConfigurationsRunInGatewaysItSayWhatTheyChoose() throws Exception {
        assertThat(Files.readString(EXAMPLES.resolve("apache-openidc.conf"))).contains(
                "OIDCOAuthIntrospectionEndpoint https://127.0.0.1:8470/v1/introspect",
                "OIDCOAuthIntrospectionEndpointAuth client_secret_basic", "OIDCOAuthTokenIntrospectionInterval -1",
                "OIDCOAuthSSLValidateServer On", "Require claim scope~\\\\bReadHealthCheck\\\\b", "--introspection-caller apache");
        assertThat(Files.readString(EXAMPLES.resolve("haproxy.cfg"))).contains("option httpchk GET /healthz",
                "http-check expect status 200", "option forwardfor", "--trusted-proxy");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> kongPlugin(String yaml, String name) {
        Map<String, Object> root = new org.yaml.snakeyaml.Yaml().load(yaml);
        for (Object service : (java.util.List<Object>) root.get("services")) {
            for (Object plugin : (java.util.List<Object>) ((Map<String, Object>) service).get("plugins")) {
                if (name.equals(((Map<String, Object>) plugin).get("name"))) {
                    return (Map<String, Object>) ((Map<String, Object>) plugin).get("config");
                }
            }
        }
        throw new AssertionError("no " + name + " plugin in kong.yml");
    }

    @Test
    void ruleFilesLoadAndDecideAsTheirCommentsSay() throws Exception {
        for (String name : new String[] {"office", "ipv6", "deny-list"}) {
            LauncherIT.Run added = tokenctl("", "ipfilter", "add", name, "--file", EXAMPLES.resolve(name + ".rules").toString());
            assertThat(added.code()).as(added.toString()).isZero();
            assertThat(added.err()).isEmpty();
        }
        assertThat(tokenctl("", "ipfilter", "test", "office", "10.20.1.1").code()).isZero();
        assertThat(tokenctl("", "ipfilter", "test", "office", "10.20.99.7").code()).isEqualTo(1);
        assertThat(tokenctl("", "ipfilter", "test", "ipv6", "2001:db8:100::9").code()).isZero();
        assertThat(tokenctl("", "ipfilter", "test", "ipv6", "::ffff:10.8.0.5").code()).isZero();
        assertThat(tokenctl("", "ipfilter", "test", "ipv6", "192.0.2.1").code()).isEqualTo(1);
        assertThat(tokenctl("", "ipfilter", "test", "deny-list", "198.51.100.7").code()).isEqualTo(1);
        assertThat(tokenctl("", "ipfilter", "test", "deny-list", "192.0.2.1").code()).isZero();
    }

    @Test
    void policyFileApplies() throws Exception {
        assertThat(tokenctl("", "ipfilter", "add", "office", "--file", EXAMPLES.resolve("office.rules").toString()).code())
                .isZero();
        LauncherIT.Run set = tokenctl("", "policy", "set", "--file", EXAMPLES.resolve("policy.yaml").toString(), "--yes");
        assertThat(set.code()).as(set.toString()).isZero();
        assertThat(set.out()).contains("max-expiry:               30d", "enforced-ip-filter:       office");
        LauncherIT.Run tooLong = tokenctl("", "token", "create", "--name", "x", "--permission", "ReadHealthCheck",
                "--expires-in", "31d");
        assertThat(tooLong.code()).isEqualTo(5);
    }

    @Test
    void ciRotateHandsTheNewSecretOnWithoutPrintingIt() throws Exception {
        LauncherIT.Run created = tokenctl("", "token", "create", "--name", "deploy", "--permission", "ManageCluster",
                "--expires-in", "7d");
        String old = created.out().strip();
        Path out = Files.createDirectories(dir.resolve("out"));
        LauncherIT.Run rotated = script("ci-rotate.sh", "", "deploy", out.toString());
        assertThat(rotated.code()).as(rotated.toString()).isZero();
        String fresh = Files.readString(out.resolve("deploy.token")).strip();
        assertThat(fresh).startsWith("tctl_").isNotEqualTo(old);
        assertThat(rotated.out() + rotated.err()).contains("rotated deploy: new id " + fresh.substring(0, 21))
                .doesNotContain(fresh.substring(22));
        assertThat(tokenctl(old, "token", "verify").err()).isEqualTo("denied: revoked\n");
        assertThat(tokenctl(fresh, "token", "verify").code()).isZero();
        assertThat(script("ci-rotate.sh", "", "deploy", out.toString()).code()).as("refuses to overwrite").isEqualTo(2);
    }

    @Test
    void gatewayVerifiesABatch() throws Exception {
        String good = tokenctl("", "token", "create", "--name", "gw", "--permission", "ReadHealthCheck", "--expires-in", "1d")
                .out().strip();
        LauncherIT.Run all = script("gateway-verify.sh", good + "\n" + good + "\n");
        assertThat(all.code()).as(all.toString()).isZero();
        assertThat(all.out().lines()).hasSize(2).allMatch(l -> l.contains("\"valid\":true"));
        LauncherIT.Run mixed = script("gateway-verify.sh", good + "\nnot-a-token\n", "ManageCluster");
        assertThat(mixed.code()).isEqualTo(1);
        assertThat(mixed.out().lines()).containsExactly(
                mixed.out().lines().toList().get(0), "{\"valid\":false,\"reason\":\"malformed\",\"token_id\":null,"
                        + "\"name\":null,\"permissions\":null,\"expires_at\":null,\"retires_at\":null}");
        assertThat(mixed.out()).contains("missing-permission");
    }
}
