package dev.tokenctl.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * The token string: {@code tctl_<16 base62>~<43 base62 secret><6 base62 CRC32>}.
 *
 * <p>The part before {@code ~} is the token id that listings show; its fixed prefix lets secret
 * scanners find leaked tokens. The secret carries 43 base62 characters from {@link SecureRandom}
 * (256 bits). The last six characters are a CRC32 over everything before them, so a mistyped or
 * truncated token is rejected before any lookup. Only {@link #digest} of the secret is stored.
 */
public final class TokenFormat {
    /** The fixed prefix of every token id. */
    public static final String ID_PREFIX = "tctl_";
    static final int ID_RANDOM = 16;
    static final int SECRET_RANDOM = 43;
    static final int CHECKSUM = 6;
    /** Length of a whole token string. */
    public static final int LENGTH = ID_PREFIX.length() + ID_RANDOM + 1 + SECRET_RANDOM + CHECKSUM;
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** A token string split into its parts; {@link #secret} is the part whose digest is stored. */
    public record Parsed(String id, String secret) {
        @Override
        public String toString() {
            return "Parsed[id=" + id + ", secret=<hidden>]";
        }
    }

    /** Why a string is not a token. */
    public enum Problem { MALFORMED, BAD_CHECKSUM }

    /** Thrown by {@link #parse}; carries no part of the input. */
    public static final class FormatException extends Exception {
        private final Problem problem;

        FormatException(Problem problem) {
            super(problem == Problem.MALFORMED ? "malformed token" : "token checksum does not match", null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    private final SecureRandom random;

    public TokenFormat(SecureRandom random) {
        this.random = random;
    }

    /** A fresh token id. */
    public String newId() {
        return ID_PREFIX + randomBase62(ID_RANDOM);
    }

    /** A fresh token string for the given id. */
    public String newToken(String id) {
        String body = id + "~" + randomBase62(SECRET_RANDOM);
        return body + checksum(body);
    }

    /** Whether the text has the shape of a token id (not whether such a token exists). */
    public static boolean looksLikeId(String text) {
        return text.length() == ID_PREFIX.length() + ID_RANDOM && text.startsWith(ID_PREFIX)
                && isBase62(text, ID_PREFIX.length(), text.length());
    }

    /** Splits and checks a token string without touching the store. */
    public static Parsed parse(String token) throws FormatException {
        int tilde = ID_PREFIX.length() + ID_RANDOM;
        if (token.length() != LENGTH || token.charAt(tilde) != '~' || !looksLikeId(token.substring(0, tilde))
                || !isBase62(token, tilde + 1, token.length())) {
            throw new FormatException(Problem.MALFORMED);
        }
        String body = token.substring(0, LENGTH - CHECKSUM);
        byte[] expected = checksum(body).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = token.substring(LENGTH - CHECKSUM).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new FormatException(Problem.BAD_CHECKSUM);
        }
        return new Parsed(token.substring(0, tilde), token.substring(tilde + 1));
    }

    /** SHA-256 of the secret part: what the store keeps instead of the secret. */
    public static byte[] digest(String secret) {
        try {
            // Cloning a prototype skips the provider lookup of getInstance on every token of a batch.
            return ((MessageDigest) SHA256.clone()).digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests of the JDK can be cloned", e);
        }
    }

    private static final MessageDigest SHA256;

    static {
        try {
            SHA256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Compares two digests in time independent of where they differ. */
    public static boolean digestsMatch(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] out = new char[CHECKSUM];
        for (int i = CHECKSUM - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (value % 62));
            value /= 62;
        }
        return new String(out);
    }

    private String randomBase62(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(out);
    }

    private static boolean isBase62(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }
}
