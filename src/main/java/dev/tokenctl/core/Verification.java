package dev.tokenctl.core;

/** The answer of {@link TokenService#verify}: valid, or denied for one reason. */
public record Verification(Reason reason, Token token) {

    /** Why a token was denied; {@code VALID} when it was not. */
    public enum Reason {
        VALID("valid"),
        MALFORMED("malformed"),
        BAD_CHECKSUM("bad-checksum"),
        UNKNOWN("unknown"),
        REVOKED("revoked"),
        EXPIRED("expired"),
        IP_DENIED("ip-denied"),
        IP_REQUIRED("ip-required"),
        MISSING_PERMISSION("missing-permission"),
        TOKENS_DISABLED("tokens-disabled");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** The name scripts see, such as {@code bad-checksum}. */
        public String label() {
            return label;
        }
    }

    public boolean valid() {
        return reason == Reason.VALID;
    }
}
