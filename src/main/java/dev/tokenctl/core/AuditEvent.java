package dev.tokenctl.core;

import java.time.Instant;

/**
 * One line of the audit log. {@code tokenId} is null for events about the policy or a filter;
 * {@code seq} is the event's number in the store (0 before it is stored): later commits mostly
 * get higher numbers.
 */
public record AuditEvent(Instant at, String actor, String action, String tokenId, String details, long seq) {
}
