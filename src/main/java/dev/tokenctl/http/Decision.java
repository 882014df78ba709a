package dev.tokenctl.http;

import dev.tokenctl.core.Verification;

/**
 * How each answer of a check is told over HTTP: one table, as the command line's exit codes
 * map error kinds. Gateways accept exactly 200 for a valid token; nginx turns anything but
 * 200, 401 and 403 into a 500, so a store fault is the only other status (503).
 */
enum Decision {
    ALLOW(200, null, "allow"),
    /** No token at all: RFC 6750 gives no error code then. */
    NO_TOKEN(401, null, "deny"),
    INVALID_TOKEN(401, "invalid_token", "deny"),
    INSUFFICIENT_SCOPE(403, "insufficient_scope", "deny"),
    UNAVAILABLE(503, "temporarily_unavailable", "error");

    final int status;
    /** The RFC 6750 error code, or null. */
    final String error;
    /** The decision label of the metrics and the access log. */
    final String label;

    Decision(int status, String error, String label) {
        this.status = status;
        this.error = error;
        this.label = label;
    }

    /** The decision for a verify answer. */
    static Decision of(Verification.Reason reason) {
        return switch (reason) {
            case VALID -> ALLOW;
            case MALFORMED, BAD_CHECKSUM, UNKNOWN, REVOKED, EXPIRED, TOKENS_DISABLED -> INVALID_TOKEN;
            case IP_DENIED, IP_REQUIRED, MISSING_PERMISSION -> INSUFFICIENT_SCOPE;
        };
    }

    /** The WWW-Authenticate header of a 401 or 403, or null. */
    String challenge() {
        if (status != 401 && status != 403) {
            return null;
        }
        return "Bearer realm=\"tokenctl\"" + (error == null ? "" : ", error=\"" + error + "\"");
    }
}
