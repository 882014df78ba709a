package dev.tokenctl.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Standard output that reports a failed write instead of swallowing it, as {@link PrintWriter}
 * and {@code System.out} do: the write throws {@link Failure}, which ends the command. UTF-8
 * whatever the locale.
 */
public final class StandardOutput extends OutputStream {
    private final OutputStream out;

    StandardOutput(OutputStream out) {
        this.out = out;
    }

    /** A writer on the process's standard output. */
    public static PrintWriter writer() {
        return new PrintWriter(new OutputStreamWriter(new StandardOutput(new FileOutputStream(FileDescriptor.out)),
                StandardCharsets.UTF_8), false);
    }

    @Override
    public void write(int b) {
        try {
            out.write(b);
        } catch (IOException e) {
            throw new Failure(e);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        try {
            out.write(bytes, offset, length);
        } catch (IOException e) {
            throw new Failure(e);
        }
    }

    @Override
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new Failure(e);
        }
    }

    /** Standard output could not be written; {@link #readerGone} when it was a pipe whose reader left. */
    public static final class Failure extends RuntimeException {
        Failure(IOException cause) {
            super(cause.getMessage(), cause, false, false);
        }

        /**
         * A broken pipe: whoever read the output (head, grep -q) has what it wanted and went
         * away. Not an error, as for any Unix filter.
         */
        public boolean readerGone() {
            return "Broken pipe".equals(getMessage());
        }
    }
}
