package dev.tokenctl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenctl.app.Application;
import dev.tokenctl.testing.LocalStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issuing and revoking below the command line, on a SQLite store at a fixed moment: what each
 * refuses, and the audit event each leaves, word for word.
 */
class TokenServiceTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00.250Z");

    @TempDir
    Path dir;
    private Application application;
    private Session session;
    private TokenService tokens;

    @BeforeEach
    void setUp() {
        application = new LocalStore(dir).application();
        session = new Session(application.store(), Clock.fixed(NOW, ZoneOffset.UTC), "tester");
        tokens = new TokenService(session, new TokenFormat(new SecureRandom()));
    }

    @AfterEach
    void tearDown() {
        application.close();
    }

    private TokenService.Issued create(String name, Expiry expiry, String filter, Map<String, String> labels) {
        return tokens.create(new TokenService.NewToken(name, null, Set.of(Permission.parse("ReadHealthCheck")), expiry, filter,
                labels));
    }

    private List<String> audit() {
        List<String> events = new ArrayList<>();
        application.store().forEachAudit(null, null, e -> events.add(e.action() + " " + e.details()));
        return events;
    }

    @Test
    void aCreateIsAuditedWithItsExpiryToTheSecondAndItsFilterAndLabelsOnlyWhenItHasThem() {
        new IpFilterService(session).add("office", "allow 10.0.0.0/8");
        create("plain", new Expiry.Never(), null, Map.of());
        create("full", new Expiry.In(Duration.ofDays(1)), "office", Map.of("team", "a \"b\""));
        assertThat(audit()).containsExactly(
                "ipfilter-add name=office rules: allow 10.0.0.0/8",
                "create name=plain permissions=ReadHealthCheck expires=never",
                "create name=full permissions=ReadHealthCheck expires=2026-12-02T10:00:00Z ip-filter=office"
                        + " labels=team=\"a \\\"b\\\"\"");
    }

    @Test
    void noTokenIsIssuedWithAnUnknownFilterOrWhileThePolicyTurnsTokensOff() {
        assertThatThrownBy(() -> create("svc", new Expiry.Never(), "nowhere", Map.of()))
                .isInstanceOfSatisfying(TokenctlException.class, e -> assertThat(e.kind()).isEqualTo(TokenctlException.Kind.NOT_FOUND));
        new PolicyService(session).apply(p -> new Policy(false, p.maxExpiry(), p.defaultExpiry(), p.enforcedIpFilter(),
                p.allowPermissionUpdates(), p.maxRotationGrace()), true);
        assertThatThrownBy(() -> create("svc", new Expiry.Never(), null, Map.of()))
                .isInstanceOfSatisfying(TokenctlException.class, e -> assertThat(e.kind()).isEqualTo(TokenctlException.Kind.POLICY))
                .hasMessageContaining("system tokens are disabled by the security policy");
        assertThat(audit()).containsExactly("policy tokens-enabled: true -> false");
    }

    @Test
    void aRevokeReasonMustBePrintableWhicheverWayTheTokensAreChosen() {
        create("svc", new Expiry.Never(), null, Map.of());
        assertThatThrownBy(() -> tokens.revoke(List.of("svc"), "bad\u001b[2J"))
                .hasMessage("reason contains the unprintable character U+001B (use printable characters only)");
        assertThatThrownBy(() -> tokens.revoke(new Selection.Labelled(Map.of("team", "a")), "", null))
                .hasMessageStartingWith("reason must be 1-");
        assertThat(audit()).extracting(e -> e.split(" ")[0]).containsExactly("create");
    }
}
