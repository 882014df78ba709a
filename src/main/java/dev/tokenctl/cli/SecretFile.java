package dev.tokenctl.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The file of {@code --secret-out}: created new with mode 0600 before the token exists (so a bad
 * path fails without creating a token), refusing to overwrite anything or follow a symlink, and
 * filled once the token is committed.
 */
final class SecretFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private boolean written;

    private SecretFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    static SecretFile reserve(Path path) {
        try {
            return new SecretFile(path, FileChannel.open(path,
                    java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))));
        } catch (FileAlreadyExistsException e) {
            throw new Cli.UsageException("--secret-out " + Converters.shown(path) + " already exists (tokenctl never overwrites a file;"
                    + " give a new path)");
        } catch (NoSuchFileException e) {
            throw new Cli.UsageException("--secret-out " + Converters.shown(path) + ": the directory does not exist (create it first)");
        } catch (IOException e) {
            throw new Cli.UsageException("--secret-out " + Converters.shown(path) + " cannot be created: " + Converters.shown(e.getMessage())
                    + " (give a writable path)");
        }
    }

    void write(String token) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(true);
        written = true;
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        channel.close();
        if (!written) {
            Files.deleteIfExists(path);
        }
    }
}
