package dev.tokenctl.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenctl.core.Text;
import dev.tokenctl.core.TokenctlException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * One JSON line per request, written by one mapper; none when off. The file is opened for
 * appending, created 0600, never through a symbolic link, and an existing one only when it is
 * this user's and private to them: its lines tell whose tokens are used from where. It never
 * holds a token string.
 */
final class AccessLog implements AutoCloseable {
    /** One request, as the log writes it. */
    record Line(String time, String remote, String client, String endpoint, int status, String decision, String reason,
                String tokenId, String detail, double durationMs) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

    private static final int FILE_TYPE = 0170000;
    private static final int REGULAR_FILE = 0100000;
    private static final int SYMBOLIC_LINK = 0120000;
    private static final int GROUP_OR_OTHERS_READ_WRITE = 0066;

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
        return open(target, new com.sun.security.auth.module.UnixSystem().getUid());
    }

    /**
     * The log in file {@code target}, which must be new, or a regular file (not a link to one) that
     * user {@code uid} owns and no one else may read or write. An existing file is checked before it
     * is opened, so that a refused one is left as it was and a FIFO is never waited on, and again
     * after, so that a file put in its place meanwhile is not written; a new file is made by this
     * call alone, mode 0600.
     */
    static AccessLog open(String target, long uid) {
        String shown = Text.quoteSafe(target, 200);
        try {
            Path path = Path.of(target);
            Map<String, Object> before = attributes(path);
            if (before != null) {
                check(before, uid, shown);
            }
            FileChannel channel = FileChannel.open(path, before == null
                    ? Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS)
                    : Set.of(StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            if (before != null) {
                Map<String, Object> after = attributes(path);
                if (after == null || !after.get("fileKey").equals(before.get("fileKey"))) {
                    channel.close();
                    throw TokenctlException.invalid("--access-log " + shown + " was replaced while it was opened (try again)");
                }
            }
            return new AccessLog(new java.io.OutputStreamWriter(java.nio.channels.Channels.newOutputStream(channel),
                    StandardCharsets.UTF_8), true);
        } catch (TokenctlException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw TokenctlException.invalid("--access-log " + shown + " cannot be opened: "
                    + Text.quoteSafe(String.valueOf(e.getMessage()), 200) + " (give a writable file, or - for stdout)");
        }
    }

    /** The type, mode, owner and identity of {@code path} itself, never of what a link names; null when there is none. */
    private static Map<String, Object> attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, "unix:mode,uid,fileKey", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Refuses a file that is not a regular one, is another user's, or that others may read or write. */
    private static void check(Map<String, Object> attributes, long uid, String shown) {
        int mode = (Integer) attributes.get("mode");
        if ((mode & FILE_TYPE) == SYMBOLIC_LINK) {
            throw TokenctlException.invalid("--access-log " + shown + " is a symbolic link, which is never followed"
                    + " (give the file it names)");
        }
        if ((mode & FILE_TYPE) != REGULAR_FILE) {
            throw TokenctlException.invalid("--access-log " + shown + " is not a regular file (give a file, or - for stdout)");
        }
        if (Integer.toUnsignedLong((Integer) attributes.get("uid")) != uid) {
            throw TokenctlException.invalid("--access-log " + shown + " belongs to another user"
                    + " (give a file of your own, or a new file)");
        }
        if ((mode & GROUP_OR_OTHERS_READ_WRITE) != 0) {
            throw TokenctlException.invalid("--access-log " + shown + " can be read or written by others (mode "
                    + String.format("%04o", mode & 07777) + "; chmod 600 " + shown + ", or give a new file)");
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
