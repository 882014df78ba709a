package dev.tokenctl.core;

/**
 * The one error type of the domain. Its message is written for a person: what was wrong and,
 * in parentheses, what to do. It never contains a token string or a secret.
 */
public final class TokenctlException extends RuntimeException {

    /** What went wrong, which the command line maps to an exit code. */
    public enum Kind {
        /** The input was malformed or out of range. */
        INVALID,
        /** A token, filter or other named thing does not exist. */
        NOT_FOUND,
        /** The request clashes with existing state, such as a name already in use. */
        CONFLICT,
        /** The security policy forbids the request. */
        POLICY,
        /** The store cannot be opened, read or written. */
        STORAGE
    }

    private final Kind kind;

    public TokenctlException(Kind kind, String message) {
        this(kind, message, null);
    }

    public TokenctlException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static TokenctlException invalid(String message) {
        return new TokenctlException(Kind.INVALID, message);
    }

    public static TokenctlException notFound(String message) {
        return new TokenctlException(Kind.NOT_FOUND, message);
    }

    public static TokenctlException conflict(String message) {
        return new TokenctlException(Kind.CONFLICT, message);
    }

    public static TokenctlException policy(String message) {
        return new TokenctlException(Kind.POLICY, message);
    }
}
