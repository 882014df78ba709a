package dev.tokenctl.cli;

import dev.tokenctl.core.AuditEvent;
import dev.tokenctl.core.IpFilter;
import dev.tokenctl.core.IpFilterService;
import dev.tokenctl.core.Permission;
import dev.tokenctl.core.Policy;
import dev.tokenctl.core.PolicySetting;
import dev.tokenctl.core.Token;
import dev.tokenctl.core.Verification;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The records that json and yaml output are made of: never a secret or a digest. */
final class Views {
    private Views() {
    }

    record TokenView(String id, String name, String description, List<String> permissions, String status,
                     String createdAt, String expiresAt, String retiresAt, String ipFilter, String lastUsedAt,
                     String lastUsedAddress, String revokedAt, String revokeReason, String rotatedFrom,
                     Map<String, String> labels) {
    }

    /** A token just issued: its string, shown this once, and its metadata. */
    record IssuedView(String token, TokenView metadata) {
    }

    record RevokedView(String id, String name, String revokedAt, String revokeReason, boolean alreadyRevoked) {
    }

    record VerifyView(boolean valid, String reason, String tokenId, String name, List<String> permissions,
                      String expiresAt, String retiresAt) {
    }

    record PermissionView(String name, String label, String group, String description) {
    }

    record AuditView(long seq, String at, String user, String action, String tokenId, String details) {
    }

    /** The policy: its settings in order, keyed as a policy file is, exactly what {@link PolicyFile} reads back. */
    static Map<String, Object> policy(Policy p) {
        Map<String, Object> view = new LinkedHashMap<>();
        for (PolicySetting setting : PolicySetting.values()) {
            view.put(setting.key(), setting.view(setting.get(p)));
        }
        return view;
    }

    /** A token a policy change would revoke or cut back. */
    record EffectView(String id, String name, String action, String expiresAt, String newExpiresAt) {
    }

    /** What a policy change would do. */
    record PlanView(Map<String, Object> before, Map<String, Object> after, List<EffectView> effects) {
    }

    record FilterView(String name, List<String> rules, String text, String createdAt, String updatedAt,
                      List<String> usedByTokens, boolean usedByPolicy) {
    }

    record DecisionView(String filter, String address, boolean allowed, String action, Integer line, String rule) {
    }

    record StoreInfoView(String engine, String location, int schemaVersion, long tokens, long activeTokens,
                         long retiringTokens, long expiredTokens, long revokedTokens, long ipFilters, long auditEvents) {
    }

    record CopyView(String from, String to, long tokens, long ipFilters, long auditEvents) {
    }

    static FilterView filter(IpFilter f, IpFilterService.Users users) {
        return new FilterView(f.name(), f.rules().stream().map(IpFilter.Rule::text).toList(), f.text(),
                Times.iso(f.createdAt()), Times.iso(f.updatedAt()), users.tokens(), users.policy());
    }

    /** A token as it stands: {@code revoked_at} once it is revoked, {@code retires_at} while it is retiring. */
    static TokenView token(Token t, Instant now) {
        Token.Status status = t.status(now);
        return new TokenView(t.id(), t.name(), t.description(), names(t.permissions()), status.label(),
                Times.iso(t.createdAt()), Times.iso(t.expiresAt()), Times.iso(t.retiresAt(now)), t.ipFilter(),
                Times.iso(t.lastUsedAt()), t.lastUsedAddress(),
                status == Token.Status.REVOKED ? Times.iso(t.revokedAt()) : null,
                status == Token.Status.REVOKED || status == Token.Status.RETIRING ? t.revokeReason() : null,
                t.rotatedFrom(), t.labels());
    }

    /**
     * A verify answer: a valid token with a revocation time is retiring, and {@code retires_at}
     * is the end of its grace, as show gives it; it stops working at the earlier of that and
     * {@code expires_at} ({@link Token#validUntil}).
     */
    static VerifyView verification(Verification v) {
        Token t = v.token();
        return new VerifyView(v.valid(), v.valid() ? null : v.reason().label(), t == null ? null : t.id(),
                t == null ? null : t.name(), t == null ? null : names(t.permissions()),
                t == null ? null : Times.iso(t.expiresAt()), v.valid() ? Times.iso(t.revokedAt()) : null);
    }

    static PermissionView permission(Permission p) {
        return new PermissionView(p.name(), p.label(), p.group().label(), p.description());
    }

    static AuditView audit(AuditEvent e) {
        return new AuditView(e.seq(), Times.iso(e.at()), e.actor(), e.action(), e.tokenId(), e.details());
    }

    /** API names in catalog order. */
    static List<String> names(Set<Permission> permissions) {
        List<String> names = new java.util.ArrayList<>(permissions.size());
        for (Permission p : permissions.isEmpty() ? permissions : java.util.EnumSet.copyOf(permissions)) {
            names.add(p.name());
        }
        return names;
    }
}
