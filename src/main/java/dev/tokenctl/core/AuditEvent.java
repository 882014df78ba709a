package dev.tokenctl.core;

import java.time.Instant;

/** One line of the audit log. {@code tokenId} is null for events about the policy or a filter. */
public record AuditEvent(Instant at, String actor, String action, String tokenId, String details) {
}
