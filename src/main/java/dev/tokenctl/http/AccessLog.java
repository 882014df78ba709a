package dev.tokenctl.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.TokenctlException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * One JSON line per request, written by one mapper; none when off. The file is opened for
 * appending, created 0600, never through a symbolic link. It never holds a token string.
 */
final class AccessLog implements AutoCloseable {
    /** One request, as the log writes it. */
    record Line(String time, String remote, String client, String endpoint, int status, String decision, String reason,
                String tokenId, String detail, double durationMs) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

    private final Writer out;
    private final boolean owned;

    private AccessLog(Writer out, boolean owned) {
        this.out = out;
        this.owned = owned;
    }

    static AccessLog open(String target, PrintWriter stdout) {
        if (target == null) {
            return new AccessLog(null, false);
        }
        if (target.equals("-")) {
            return new AccessLog(stdout, false);
        }
        try {
            OutputStream file = java.nio.channels.Channels.newOutputStream(java.nio.channels.FileChannel.open(Path.of(target),
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE,
                            LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))));
            return new AccessLog(new java.io.OutputStreamWriter(file, StandardCharsets.UTF_8), true);
        } catch (IOException | RuntimeException e) {
            throw TokenctlException.invalid("--access-log " + Text.quoteSafe(target, 200) + " cannot be opened: "
                    + Text.quoteSafe(String.valueOf(e.getMessage()), 200) + " (give a writable file, or - for stdout)");
        }
    }

    /** Whether lines are written at all: a request need not make one otherwise. */
    boolean enabled() {
        return out != null;
    }

    void write(Line line) {
        if (out == null) {
            return;
        }
        try {
            String json = JSON.writeValueAsString(line);
            synchronized (this) {
                out.write(json);
                out.write('\n');
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // A log that cannot be written never stops an answer.
        }
    }

    @Override
    public void close() {
        try {
            // Each line was flushed as it was written; only a file of our own is closed.
            if (owned) {
                out.close();
            }
        } catch (IOException | RuntimeException e) {
            // Stopping: nothing more to do.
        }
    }
}
