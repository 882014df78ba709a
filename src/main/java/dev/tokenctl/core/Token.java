package dev.tokenctl.core;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A token's metadata: everything but its secret, which is never kept. Nullable fields are
 * {@code null} when absent: no description, no expiry, no IP filter, not revoked, never used.
 * A revocation time in the future is a graced rotation: the token is retiring until then.
 * {@code labels} is sorted by key, and empty when there are none.
 */
public record Token(String id, String name, String description, Set<Permission> permissions,
                    Instant createdAt, Instant expiresAt, String ipFilter,
                    Instant revokedAt, String revokeReason,
                    Instant lastUsedAt, String lastUsedAddress, String rotatedFrom, Map<String, String> labels) {

    /** Where a token stands at a moment. */
    public enum Status {
        ACTIVE("active"), RETIRING("retiring"), EXPIRED("expired"), REVOKED("revoked");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public Token {
        labels = Labels.copy(labels);
    }

    /** Revoked from its revocation time on; before that, expired from its expiry on, whether retiring or not. */
    public Status status(Instant now) {
        if (revokedAt != null && !revokedAt.isAfter(now)) {
            return Status.REVOKED;
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            return Status.EXPIRED;
        }
        return revokedAt != null ? Status.RETIRING : Status.ACTIVE;
    }

    /**
     * The end of a retiring token's grace, or null when it is not retiring at {@code now}. A
     * token whose expiry was cut back below its grace stops working at its expiry: see
     * {@link #validUntil()}.
     */
    public Instant retiresAt(Instant now) {
        return status(now) == Status.RETIRING ? revokedAt : null;
    }

    /**
     * When this token, valid now, stops working: its expiry or, for a retiring token, the end of
     * its grace when that comes first; null for never. Every face that tells when a token stops
     * working tells this.
     */
    public Instant validUntil() {
        return revokedAt != null && (expiresAt == null || revokedAt.isBefore(expiresAt)) ? revokedAt : expiresAt;
    }

    public Token withRevocation(Instant at, String reason) {
        return new Token(id, name, description, permissions, createdAt, expiresAt, ipFilter, at, reason,
                lastUsedAt, lastUsedAddress, rotatedFrom, labels);
    }
}
