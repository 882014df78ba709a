package dev.tokenctl.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenctl.app.Application;
import dev.tokenctl.app.ServeOptions;
import dev.tokenctl.cli.Context;
import dev.tokenctl.core.TokenFormat;
import dev.tokenctl.testing.LocalStore;
import inet.ipaddr.IPAddress;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an introspection came to, as the access log tells it, now that its caller and the token
 * it presents are checked with one lent application and one lookup: the token named is the one
 * introspected, or the caller's when no token was checked; a store that cannot answer is a
 * store error.
 */
class IntrospectionOutcomeTest {
    private static final IPAddress PEER = ClientAddress.parse("127.0.0.1");

    @TempDir
    Path dir;
    private LocalStore local;
    private Pool pool;
    private RecordWriter records;
    private Observed checks;
    private final StringWriter accessLog = new StringWriter();

    @BeforeEach
    void setUp() {
        local = new LocalStore(dir);
        serve(local::application);
    }

    private void serve(Supplier<Application> applications) {
        pool = new Pool(applications, 2);
        records = new RecordWriter(pool, new PrintWriter(new StringWriter()));
        ServeOptions options = new ServeOptions("127.0.0.1", 0, List.of(), List.of("kong"), null, null, false, "-",
                Duration.ofDays(30));
        Metrics metrics = new Metrics();
        checks = new Observed(new Endpoints(pool, records, new ClientAddress(List.of()), options, metrics), metrics,
                AccessLog.open("-", new PrintWriter(accessLog)), new PrintWriter(new StringWriter()));
    }

    @AfterEach
    void tearDown() throws Exception {
        records.close();
        pool.close();
    }

    private int introspect(String caller, String form) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/introspect",
                Unpooled.copiedBuffer(form, StandardCharsets.UTF_8));
        request.headers().add("Authorization", "Bearer " + caller);
        return checks.answer(request, PEER).status().code();
    }

    /** The access log's last line. */
    private String logged() {
        List<String> lines = accessLog.toString().lines().toList();
        return lines.get(lines.size() - 1);
    }

    private static String id(String token) {
        return token.substring(0, token.indexOf('~'));
    }

    @Test
    void theLineNamesTheTokenIntrospectedOrTheCallersWhenNoneWasChecked() {
        String caller = local.tokenctl("token", "create", "--name", "kong", "--permission", "ReadHealthCheck", "--no-expiry");
        String token = local.tokenctl("token", "create", "--name", "svc", "--permission", "ReadHealthCheck", "--no-expiry");
        assertThat(introspect(caller, "token=" + token)).isEqualTo(200);
        assertThat(logged()).contains("\"token_id\":\"" + id(token) + "\"", "\"decision\":\"allow\"");

        assertThat(introspect(caller, "token=" + token + "&client_ip=not-an-address")).isEqualTo(200);
        assertThat(logged()).contains("\"token_id\":\"" + id(caller) + "\"", "\"reason\":\"malformed\"");

        String unknown = new TokenFormat(new SecureRandom()).newToken("tctl_0000000000000000");
        assertThat(introspect(caller, "token=" + unknown)).isEqualTo(200);
        assertThat(logged()).contains("\"token_id\":null").doesNotContain(id(caller));

        String other = local.tokenctl("token", "create", "--name", "other", "--permission", "ReadHealthCheck", "--no-expiry");
        assertThat(introspect(other, "token=" + token)).as("a caller not named").isEqualTo(401);
        assertThat(logged()).contains("\"token_id\":null", "\"reason\":\"caller-refused\"");
    }

    @Test
    void aStoreThatCannotAnswerIsAStoreErrorOfTheIntrospection() throws Exception {
        String caller = local.tokenctl("token", "create", "--name", "kong", "--permission", "ReadHealthCheck", "--no-expiry");
        Files.createDirectories(dir.resolve("broken.db"));
        Map<String, String> broken = Map.of("TOKENCTL_DB", dir.resolve("broken.db").toString(), "HOME", dir.toString());
        records.close();
        pool.close();
        serve(() -> new Application(new Context(broken, Clock.systemUTC(), ZoneOffset.UTC, new ByteArrayInputStream(new byte[0]),
                false, "tester").environment(), warning -> { }));
        assertThat(introspect(caller, "token=" + caller)).isEqualTo(503);
        assertThat(logged()).contains("\"endpoint\":\"introspect\"", "\"decision\":\"error\"", "\"reason\":\"store-error\"",
                "\"detail\":\"");
    }
}
