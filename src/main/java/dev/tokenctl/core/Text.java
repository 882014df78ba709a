package dev.tokenctl.core;

/** Small text helpers shared by the validators. */
public final class Text {
    private static final int QUOTE_LIMIT = 60;
    private static final java.util.regex.Pattern TOKEN_SECRET =
            java.util.regex.Pattern.compile("(" + TokenFormat.ID_PREFIX + "[0-9A-Za-z]*)~[^\\s']*");

    private Text() {
    }

    /**
     * Makes user input safe to echo in a one-line message: control and format characters are
     * escaped and long input is cut, so an error line never spans lines or floods a terminal.
     */
    public static String quoteSafe(String input) {
        return quoteSafe(input, QUOTE_LIMIT);
    }

    /**
     * Text for a terminal or file, whole: control and format characters (escape sequences,
     * carriage returns, bidi overrides) escaped as {@link #quoteSafe} does, never cut.
     */
    public static String escape(String text) {
        return text == null || plain(text) ? text : quoteSafe(text, Integer.MAX_VALUE);
    }

    /** Printable ASCII without a '~' (no token string): text that {@link #escape} gives back as it is, at once. */
    static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '~' || c < 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** "1 token", "2 tokens": a count with its noun, which takes an "s" when it is not one. */
    public static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** {@link #quoteSafe(String)} with another length limit, in characters. */
    public static String quoteSafe(String input, int limit) {
        // A token string pasted where an id or name belongs: show its id, never its secret.
        input = TOKEN_SECRET.matcher(input).replaceAll("$1~<secret hidden>");
        StringBuilder out = new StringBuilder();
        int count = 0;
        for (int i = 0; i < input.length(); ) {
            int cp = input.codePointAt(i);
            i += Character.charCount(cp);
            if (++count > limit) {
                out.append("...");
                break;
            }
            if (isUnprintable(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    /** Control characters, format characters (bidi overrides, zero-width) and unassigned code points. */
    public static boolean isUnprintable(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                || type == Character.SURROGATE || type == Character.PRIVATE_USE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    /**
     * Checks a free-text field: at most {@code max} characters, none unprintable.
     *
     * @throws TokenctlException INVALID naming the field
     */
    public static String checkPrintable(String field, String value, int min, int max) {
        int length = value.codePointCount(0, value.length());
        if (length < min || length > max) {
            throw TokenctlException.invalid(field + " must be " + min + "-" + max + " characters, got " + length
                    + " (shorten it)");
        }
        int bad = value.codePoints().filter(Text::isUnprintable).findFirst().orElse(-1);
        if (bad >= 0) {
            throw TokenctlException.invalid(field + " contains the unprintable character "
                    + String.format("U+%04X", bad) + " (use printable characters only)");
        }
        return value;
    }

    /**
     * {@code "text"} with backslashes and double quotes escaped, as audit details quote free
     * text so that no value can pass for another field; "" for null.
     */
    public static String quoted(String text) {
        return text == null ? "" : "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Levenshtein distance, for "did you mean" suggestions. */
    public static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
