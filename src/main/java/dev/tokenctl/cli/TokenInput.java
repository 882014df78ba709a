package dev.tokenctl.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads token strings from standard input or a file, never from the command line, and never
 * more than a bounded amount: garbage on stdin cannot exhaust memory.
 */
final class TokenInput {
    /** Longest line read as a token; real tokens are 71 characters. */
    static final int MAX_LINE = 1024;
    /** Everything past this in single mode means the input is not one token. */
    static final int MAX_SINGLE = 8192;

    private final InputStream in;
    private final Runnable beforeWait;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private boolean eof;
    private boolean first = true;

    /** {@code beforeWait} runs whenever reading on would block, e.g. to flush answers so far. */
    TokenInput(InputStream in, Runnable beforeWait) {
        this.in = in;
        this.beforeWait = beforeWait;
    }

    /**
     * The one token of a single-token input: one line, surrounding whitespace and blank lines
     * allowed.
     *
     * @throws Cli.UsageException when the input is empty, too long or holds several lines
     */
    String single(String source) throws IOException {
        byte[] bytes = in.readNBytes(MAX_SINGLE + 1);
        if (bytes.length > MAX_SINGLE) {
            throw new Cli.UsageException(source + " is too long to hold one token (give one token, or use --batch)");
        }
        String[] lines = withoutBom(new String(bytes, StandardCharsets.UTF_8)).strip().split("\\s*\n\\s*");
        if (lines[0].isEmpty()) {
            throw new Cli.UsageException("no token on " + source + " (pipe the token in, or use --token-file FILE)");
        }
        if (lines.length > 1) {
            throw new Cli.UsageException(source + " holds " + lines.length + " lines, expected one token"
                    + " (use --batch to verify one token per line)");
        }
        return lines[0];
    }

    /**
     * The next line of a batch with surrounding whitespace removed, or null at the end.
     *
     * @throws Cli.UsageException for a line longer than {@link #MAX_LINE}: the input is not a
     *     list of tokens, and reading on could take as long as the input is large
     */
    String next() throws IOException {
        if (eof) {
            return null;
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream(80);
        int b;
        while ((b = read()) != -1 && b != '\n') {
            if (line.size() == MAX_LINE) {
                throw new Cli.UsageException("a line of the input is longer than " + MAX_LINE
                        + " bytes, so it is not a token (give one token per line)");
            }
            line.write(b);
        }
        if (b == -1) {
            eof = true;
            if (line.size() == 0) {
                return null;
            }
        }
        String text = line.toString(StandardCharsets.UTF_8);
        if (first) {
            first = false;
            text = withoutBom(text);
        }
        return text.strip();
    }

    /** The text without the byte order mark an editor may have put at its start. */
    private static String withoutBom(String text) {
        return text.startsWith(TextInput.BOM) ? text.substring(1) : text;
    }

    /** Whether more input has arrived, so that reading it would not wait. */
    boolean ready() throws IOException {
        return position < limit || in.available() > 0;
    }

    private int read() throws IOException {
        if (position == limit) {
            if (in.available() == 0) {
                beforeWait.run();
            }
            limit = Math.max(0, in.read(buffer));
            position = 0;
            if (limit == 0) {
                return -1;
            }
        }
        return buffer[position++] & 0xff;
    }
}
