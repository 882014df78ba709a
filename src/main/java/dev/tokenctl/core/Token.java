package dev.tokenctl.core;

import java.time.Instant;
import java.util.Set;

/**
 * A token's metadata: everything but its secret, which is never kept. Nullable fields are
 * {@code null} when absent: no description, no expiry, no IP filter, not revoked, never used.
 */
public record Token(String id, String name, String description, Set<Permission> permissions,
                    Instant createdAt, Instant expiresAt, String ipFilter,
                    Instant revokedAt, String revokeReason,
                    Instant lastUsedAt, String lastUsedAddress, String rotatedFrom) {

    /** Where a token stands at a moment. */
    public enum Status {
        ACTIVE("active"), EXPIRED("expired"), REVOKED("revoked");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public Status status(Instant now) {
        if (revokedAt != null) {
            return Status.REVOKED;
        }
        return expiresAt != null && !expiresAt.isAfter(now) ? Status.EXPIRED : Status.ACTIVE;
    }

    public Token withRevocation(Instant at, String reason) {
        return new Token(id, name, description, permissions, createdAt, expiresAt, ipFilter, at, reason,
                lastUsedAt, lastUsedAddress, rotatedFrom);
    }

    public Token withPermissions(Set<Permission> newPermissions) {
        return new Token(id, name, description, Set.copyOf(newPermissions), createdAt, expiresAt, ipFilter,
                revokedAt, revokeReason, lastUsedAt, lastUsedAddress, rotatedFrom);
    }
}
