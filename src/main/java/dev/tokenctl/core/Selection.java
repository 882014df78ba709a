package dev.tokenctl.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The tokens a revoke acts on, and the fingerprint that names exactly this set:
 * {@code COUNT-DIGEST}, the number of tokens and the first 12 hex digits of the SHA-256 of
 * their sorted ids. A review (a dry run) gives the fingerprint; a revoke given it goes ahead
 * only when the tokens it chooses then still have it, so it revokes exactly what was reviewed.
 */
public record Selection(List<Token> tokens, String fingerprint) {
    private static final Pattern FINGERPRINT = Pattern.compile("(0|[1-9][0-9]{0,8})-[0-9a-f]{12}");

    /** How a revoke chooses its tokens. */
    public sealed interface Criteria permits Named, Labelled, Listed {
    }

    /** Tokens by id or name, as {@link TokenService#resolve} finds them, revoked ones too. */
    public record Named(List<String> idsOrNames) implements Criteria {
        public Named {
            idsOrNames = List.copyOf(idsOrNames);
        }
    }

    /**
     * Every token that is not revoked and whose labels match {@code selector}, as
     * {@link Labels#matches} selects (a key without a value: any value).
     */
    public record Labelled(Map<String, String> selector) implements Criteria {
        public Labelled {
            selector = copy(selector);
        }
    }

    /**
     * Exactly the tokens of these ids, each of which must not be revoked and must have labels
     * that match {@code selector} (empty: any labels).
     */
    public record Listed(Set<String> ids, Map<String, String> selector) implements Criteria {
        /** @throws TokenctlException INVALID when there is no id, or one is not a token id */
        public Listed {
            if (ids.isEmpty()) {
                throw TokenctlException.invalid("no token id given (give one id per line)");
            }
            for (String id : ids) {
                if (!TokenFormat.looksLikeId(id)) {
                    throw TokenctlException.invalid("'" + Text.quoteSafe(id) + "' is not a token id (give one id"
                            + " per line, such as " + TokenFormat.ID_PREFIX + "0123456789abcdef)");
                }
            }
            ids = Set.copyOf(ids);
            selector = copy(selector);
        }
    }

    public Selection {
        tokens = List.copyOf(tokens);
    }

    /** A selector's copy, which keeps a key without a value (null), unlike {@link Map#copyOf}. */
    private static Map<String, String> copy(Map<String, String> selector) {
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(selector));
    }

    /** The tokens with their fingerprint. */
    public static Selection of(List<Token> tokens) {
        return new Selection(tokens, fingerprint(tokens.stream().map(Token::id).toList()));
    }

    /** The fingerprint of the tokens with these ids, each counted once, in any order. */
    public static String fingerprint(Collection<String> ids) {
        Set<String> sorted = new TreeSet<>(ids);
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        for (String id : sorted) {
            sha256.update((id + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return sorted.size() + "-" + HexFormat.of().formatHex(sha256.digest(), 0, 6);
    }

    /**
     * Checks a fingerprint as typed; upper-case hex digits are read as lower-case ones.
     *
     * @throws TokenctlException INVALID when it is not of the form a dry run prints
     */
    public static String parseFingerprint(String text) {
        String lower = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (!FINGERPRINT.matcher(lower).matches()) {
            throw TokenctlException.invalid("'" + Text.quoteSafe(text) + "' is not a fingerprint (give it as"
                    + " --dry-run prints it: the number of tokens, '-' and 12 hex digits, e.g. 2-3f9a2c41b7d0)");
        }
        return lower;
    }

    /**
     * Checks that this selection is the one a review fingerprinted as {@code reviewed}.
     *
     * @throws TokenctlException CONFLICT saying how the selection changed
     */
    void require(String reviewed) {
        if (fingerprint.equals(reviewed)) {
            return;
        }
        long count = Long.parseLong(fingerprint.substring(0, fingerprint.indexOf('-')));
        long then = Long.parseLong(reviewed.substring(0, reviewed.indexOf('-')));
        throw TokenctlException.conflict((count == then
                ? "the selection is now " + Text.count(count, "token") + ", but not the " + then + " reviewed"
                : "the selection is now " + Text.count(count, "token") + ", not the " + then + " reviewed")
                + "; nothing was revoked (run --dry-run again)");
    }
}
