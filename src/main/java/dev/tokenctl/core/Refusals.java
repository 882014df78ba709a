package dev.tokenctl.core;

/**
 * The conflict and not-found messages, each written once: core raises them when it checks, and
 * a store raises the same when its own constraint catches what a check could not (two writers
 * racing), naming only which constraint failed.
 */
public final class Refusals {
    private Refusals() {
    }

    /** The names that must be unique, each kept so by a constraint of the store. */
    public enum Unique {
        /** Among tokens that are not revoked. */
        TOKEN_NAME("a token", "choose another name, or revoke or rotate the existing one"),
        /** Among IP filters. */
        IP_FILTER_NAME("an IP filter", "change it with 'tokenctl ipfilter update', or choose another name");

        private final String thing;
        private final String toDo;

        Unique(String thing, String toDo) {
            this.thing = thing;
            this.toDo = toDo;
        }

        /** The conflict of {@code name} being taken; null when the store does not know it. */
        public TokenctlException taken(String name) {
            return TokenctlException.conflict(thing + (name == null ? " of that name" : " named '" + Text.quoteSafe(name) + "'")
                    + " already exists (" + toDo + ")");
        }
    }

    /** No token has this id or name. */
    public static TokenctlException noToken(String idOrName) {
        return TokenctlException.notFound("no token with id or name '" + Text.quoteSafe(idOrName)
                + "' (run 'tokenctl token list --all')");
    }

    /** No IP filter has this name; {@code toDo} says what to do about it. */
    public static TokenctlException noIpFilter(String name, String toDo) {
        return TokenctlException.notFound("no IP filter named '" + Text.quoteSafe(name) + "' (" + toDo + ")");
    }
}
