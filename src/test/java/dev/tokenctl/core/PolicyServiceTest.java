package dev.tokenctl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

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
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a policy change does to existing tokens, planned and applied on a SQLite store at moments
 * the test chooses: each token whose behaviour it changes is an effect, a change that restricts
 * one is made only when confirmed, and each effect is made and audited once.
 */
class PolicyServiceTest {
    private static final Instant START = Instant.parse("2026-11-29T10:00:00Z");

    @TempDir
    Path dir;
    private Application application;
    private Store store;
    private Instant now = START;

    @BeforeEach
    void setUp() {
        application = new LocalStore(dir).application();
        store = application.store();
    }

    @AfterEach
    void tearDown() {
        application.close();
    }

    private Session session() {
        return new Session(store, Clock.fixed(now, ZoneOffset.UTC), "tester");
    }

    private PolicyService policies() {
        return new PolicyService(session());
    }

    private TokenService tokens() {
        return new TokenService(session(), new TokenFormat(new SecureRandom()));
    }

    private Token create(String name, Expiry expiry, String filter) {
        Token token = tokens().create(new TokenService.NewToken(name, null, Set.of(Permission.parse("ReadHealthCheck")),
                expiry, filter, Map.of())).token();
        now = now.plusSeconds(1);
        return token;
    }

    private Token create(String name, String filter) {
        return create(name, new Expiry.Never(), filter);
    }

    private void filter(String name, String rule) {
        new IpFilterService(session()).add(name, rule);
    }

    private static UnaryOperator<Policy> set(PolicySetting setting, Object value) {
        return p -> setting.with(p, value);
    }

    private List<AuditEvent> audit(String action) {
        List<AuditEvent> events = new ArrayList<>();
        store.forEachAudit(null, null, e -> {
            if (e.action().equals(action)) {
                events.add(e);
            }
        });
        return events;
    }

    private Token token(String id) {
        return store.token(id).orElseThrow();
    }

    @Test
    void enforcingAFilterRestrictsEachActiveAndRetiringTokenNotAlreadyBoundToIt() {
        filter("office", "allow 10.0.0.0/8");
        filter("lab", "allow 192.0.2.0/24");
        Token plain = create("plain", null);
        Token bound = create("bound", "lab");
        create("at-office", "office");
        Token retiring = create("svc", null);
        tokens().rotate("svc", null, Duration.ofMinutes(30));
        Token successor = tokens().resolve("svc");
        create("gone", null);
        tokens().revoke(List.of("gone"), null);
        create("lapsed", new Expiry.In(Duration.ofSeconds(1)), null);
        now = now.plusSeconds(5);

        PolicyChange plan = policies().plan(set(PolicySetting.ENFORCED_IP_FILTER, "office"));
        assertThat(plan.effects()).extracting(e -> e.token().id(), PolicyChange.Effect::action,
                PolicyChange.Effect::newEnd, PolicyChange.Effect::change).containsExactly(
                tuple(plain.id(), PolicyChange.Action.REQUIRE_FILTER, null, "a client address now required, in filter office"),
                tuple(bound.id(), PolicyChange.Action.REQUIRE_FILTER, null, "its own filter lab AND office (was its own filter lab)"),
                tuple(retiring.id(), PolicyChange.Action.REQUIRE_FILTER, null, "a client address now required, in filter office"),
                tuple(successor.id(), PolicyChange.Action.REQUIRE_FILTER, null, "a client address now required, in filter office"));
        assertThat(plan.needsConfirmation()).isTrue();

        assertThatThrownBy(() -> policies().apply(set(PolicySetting.ENFORCED_IP_FILTER, "office"), false))
                .isInstanceOfSatisfying(TokenctlException.class, e -> assertThat(e.kind()).isEqualTo(TokenctlException.Kind.INVALID))
                .hasMessage("this change would affect 4 existing token(s) (review them with --dry-run, then rerun with --yes)");
        assertThat(store.policy().enforcedIpFilter()).isNull();
        assertThat(audit("policy")).isEmpty();

        policies().apply(set(PolicySetting.ENFORCED_IP_FILTER, "office"), true);
        assertThat(store.policy().enforcedIpFilter()).isEqualTo("office");
        assertThat(audit("enforced-filter")).extracting(AuditEvent::tokenId, AuditEvent::details).containsExactly(
                tuple(plain.id(), "a client address now required, in filter office (policy enforced-ip-filter office)"),
                tuple(bound.id(), "its own filter lab AND office (was its own filter lab) (policy enforced-ip-filter office)"),
                tuple(retiring.id(), "a client address now required, in filter office (policy enforced-ip-filter office)"),
                tuple(successor.id(), "a client address now required, in filter office (policy enforced-ip-filter office)"));
        assertThat(token(plain.id())).as("nothing stored on the token changes").isEqualTo(plain);
    }

    @Test
    void liftingTheEnforcedFilterIsListedAndNeedsNoConfirmation() {
        filter("office", "allow 10.0.0.0/8");
        filter("lab", "allow 192.0.2.0/24");
        Token plain = create("plain", null);
        Token bound = create("bound", "lab");
        create("at-office", "office");
        policies().apply(set(PolicySetting.ENFORCED_IP_FILTER, "office"), true);

        PolicyChange plan = policies().plan(set(PolicySetting.ENFORCED_IP_FILTER, null));
        assertThat(plan.effects()).extracting(e -> e.token().id(), PolicyChange.Effect::action, PolicyChange.Effect::change)
                .containsExactly(
                        tuple(plain.id(), PolicyChange.Action.RELAX_FILTER, "any client address (was a client address in filter office)"),
                        tuple(bound.id(), PolicyChange.Action.RELAX_FILTER, "its own filter lab (was its own filter lab AND office)"));
        assertThat(plan.needsConfirmation()).isFalse();

        policies().apply(set(PolicySetting.ENFORCED_IP_FILTER, null), false);
        assertThat(store.policy().enforcedIpFilter()).isNull();
        assertThat(audit("enforced-filter")).extracting(AuditEvent::tokenId, AuditEvent::details).endsWith(
                tuple(plain.id(), "any client address (was a client address in filter office) (policy enforced-ip-filter none)"),
                tuple(bound.id(), "its own filter lab (was its own filter lab AND office) (policy enforced-ip-filter none)"));
    }

    @Test
    void changingTheEnforcedFilterRestrictsTheTokensThatMustPassTheNewOne() {
        filter("office", "allow 10.0.0.0/8");
        filter("lab", "allow 192.0.2.0/24");
        Token plain = create("plain", null);
        Token bound = create("bound", "lab");
        Token atOffice = create("at-office", "office");
        policies().apply(set(PolicySetting.ENFORCED_IP_FILTER, "office"), true);

        PolicyChange plan = policies().plan(set(PolicySetting.ENFORCED_IP_FILTER, "lab"));
        assertThat(plan.effects()).extracting(e -> e.token().id(), PolicyChange.Effect::action, PolicyChange.Effect::change)
                .containsExactly(
                        tuple(plain.id(), PolicyChange.Action.REQUIRE_FILTER,
                                "a client address in filter lab (was a client address in filter office)"),
                        tuple(bound.id(), PolicyChange.Action.RELAX_FILTER, "its own filter lab (was its own filter lab AND office)"),
                        tuple(atOffice.id(), PolicyChange.Action.REQUIRE_FILTER,
                                "its own filter office AND lab (was its own filter office)"));
        assertThat(plan.needsConfirmation()).isTrue();
        assertThatThrownBy(() -> policies().apply(set(PolicySetting.ENFORCED_IP_FILTER, "lab"), false))
                .hasMessageContaining("would affect 3 existing token(s)");
        assertThat(store.policy().enforcedIpFilter()).isEqualTo("office");
    }

    @Test
    void settingsThatChangeNoTokenNeedNoConfirmationAndListNone() {
        filter("office", "allow 10.0.0.0/8");
        create("plain", null);
        PolicyChange plan = policies().plan(p -> PolicySetting.ALLOW_PERMISSION_UPDATES.with(
                PolicySetting.MAX_ROTATION_GRACE.with(p, Duration.ofHours(2)), true));
        assertThat(plan.effects()).isEmpty();
        assertThat(plan.needsConfirmation()).isFalse();
        policies().apply(set(PolicySetting.ENFORCED_IP_FILTER, "office"), true);
        assertThat(policies().plan(set(PolicySetting.ENFORCED_IP_FILTER, "office")).effects())
                .as("the filter already enforced").isEmpty();
    }

    @Test
    void loweringTheMaximumGraceEndsEachLongerGraceAtTheNewMaximum() {
        policies().apply(set(PolicySetting.MAX_ROTATION_GRACE, Duration.ofHours(3)), true);
        Token longGrace = create("long", null);
        tokens().rotate("long", null, Duration.ofHours(3));
        Token edge = create("edge", null);
        tokens().rotate("edge", null, Duration.ofHours(1));
        Token shortGrace = create("short", null);
        tokens().rotate("short", null, Duration.ofMinutes(30));
        Instant limit = token(edge.id()).revokedAt();
        now = limit.minus(Duration.ofHours(1));
        Instant longEnd = token(longGrace.id()).revokedAt();

        PolicyChange plan = policies().plan(set(PolicySetting.MAX_ROTATION_GRACE, Duration.ofHours(1)));
        assertThat(plan.effects()).as("a grace ending exactly at the new maximum stays").extracting(e -> e.token().id(),
                PolicyChange.Effect::action, PolicyChange.Effect::newEnd, PolicyChange.Effect::change).containsExactly(
                tuple(longGrace.id(), PolicyChange.Action.CUT_GRACE, limit,
                        "grace ends: " + Session.when(longEnd) + " -> " + Session.when(limit)));
        assertThat(plan.needsConfirmation()).isTrue();
        assertThat(policies().plan(set(PolicySetting.MAX_ROTATION_GRACE, Duration.ofHours(4))).effects())
                .as("raised").isEmpty();

        assertThatThrownBy(() -> policies().apply(set(PolicySetting.MAX_ROTATION_GRACE, Duration.ofHours(1)), false))
                .hasMessageContaining("would affect 1 existing token(s)");
        assertThat(token(longGrace.id()).revokedAt()).isEqualTo(longEnd);

        policies().apply(set(PolicySetting.MAX_ROTATION_GRACE, Duration.ofHours(1)), true);
        Token cut = token(longGrace.id());
        assertThat(cut.revokedAt()).isEqualTo(limit);
        assertThat(cut.revokeReason()).as("still the rotation's").startsWith("rotated: replaced by ");
        assertThat(cut.status(now)).isEqualTo(Token.Status.RETIRING);
        assertThat(audit("grace-cut")).extracting(AuditEvent::tokenId, AuditEvent::details).containsExactly(
                tuple(longGrace.id(), "grace ends: " + Session.when(longEnd) + " -> " + Session.when(limit)
                        + " (policy max-rotation-grace 1h)"));

        PolicyChange none = policies().plan(set(PolicySetting.MAX_ROTATION_GRACE, null));
        assertThat(none.effects()).extracting(e -> e.token().id(), PolicyChange.Effect::newEnd)
                .containsExactly(tuple(longGrace.id(), now), tuple(edge.id(), now), tuple(shortGrace.id(), now));
        policies().apply(set(PolicySetting.MAX_ROTATION_GRACE, null), true);
        assertThat(List.of(longGrace, edge, shortGrace)).extracting(t -> token(t.id()).status(now))
                .containsOnly(Token.Status.REVOKED);
        assertThat(audit("grace-cut")).hasSize(4).last().extracting(AuditEvent::details)
                .asString().endsWith(" (policy max-rotation-grace none)");
    }

    @Test
    void turningTokensOffRevokesOnlyWhateverElseChanges() {
        filter("office", "allow 10.0.0.0/8");
        Token plain = create("plain", null);
        UnaryOperator<Policy> change = p -> PolicySetting.TOKENS_ENABLED.with(PolicySetting.MAX_EXPIRY.with(
                PolicySetting.ENFORCED_IP_FILTER.with(PolicySetting.MAX_ROTATION_GRACE.with(p, null), "office"),
                Duration.ofDays(1)), false);
        assertThat(policies().plan(change).effects()).extracting(e -> e.token().id(), PolicyChange.Effect::action,
                PolicyChange.Effect::change).containsExactly(
                tuple(plain.id(), PolicyChange.Action.REVOKE, "revoked now: tokens turned off"));
    }

    @Test
    void oneTokenCanHaveItsExpiryAndGraceCutAndAFilterAddedByOneChange() {
        filter("office", "allow 10.0.0.0/8");
        Token old = create("svc", new Expiry.In(Duration.ofDays(10)), null);
        tokens().rotate("svc", null, Duration.ofHours(1));
        UnaryOperator<Policy> change = p -> PolicySetting.MAX_EXPIRY.with(
                PolicySetting.ENFORCED_IP_FILTER.with(PolicySetting.MAX_ROTATION_GRACE.with(p, null), "office"),
                Duration.ofDays(1));
        Token successor = tokens().resolve("svc");
        policies().apply(change, true);
        assertThat(token(old.id()).status(now)).isEqualTo(Token.Status.REVOKED);
        assertThat(token(successor.id()).expiresAt()).isEqualTo(now.plus(Duration.ofDays(1)));
        List<String> actions = new ArrayList<>();
        store.forEachAudit(null, old.id(), e -> actions.add(e.action()));
        assertThat(actions).containsExactly("create", "rotate", "expiry-cut", "grace-cut", "enforced-filter");
    }
}
