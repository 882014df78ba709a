package dev.tokenctl.cli;

import dev.tokenctl.core.TokenctlException;

/** The exit codes of tokenctl: a contract with scripts, never renumbered. */
public enum ExitCode {
    /** The command did what was asked. */
    OK(0, "success"),
    /** token verify: the token was denied (also ipfilter test: the address is denied). */
    DENIED(1, "denied (token verify, ipfilter test)"),
    /** The command line or an input value was invalid; nothing was changed. */
    USAGE(2, "invalid usage or input"),
    /** A token, IP filter or file named on the command line does not exist. */
    NOT_FOUND(3, "not found"),
    /** The request conflicts with existing state, such as a name already in use. */
    CONFLICT(4, "conflict (name in use)"),
    /** The security policy refused the request. */
    POLICY(5, "refused by the security policy"),
    /** The store cannot be opened or used: locked past the timeout, corrupt, newer schema. */
    STORE(6, "store error (cannot open, locked, corrupt, newer schema)"),
    /** A bug in tokenctl; rerun with --verbose and report it. */
    INTERNAL(70, "internal error"),
    /**
     * Standard output could not be written (a full disk, a closed file). A pipe whose reader has
     * gone is not an error: the command stops at once with exit 0.
     */
    OUTPUT(74, "cannot write the output (disk full, closed file)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    static ExitCode of(TokenctlException.Kind kind) {
        return switch (kind) {
            case INVALID -> USAGE;
            case NOT_FOUND -> NOT_FOUND;
            case CONFLICT -> CONFLICT;
            case POLICY -> POLICY;
            case STORAGE -> STORE;
        };
    }
}
