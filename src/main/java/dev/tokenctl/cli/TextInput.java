package dev.tokenctl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a whole text input (a file, or {@code -} for stdin) with a size limit and strict UTF-8. */
final class TextInput {
    private TextInput() {
    }

    static String read(String source, InputStream stdin, int limit) {
        String label = source.equals("-") ? "standard input" : source;
        try (InputStream in = source.equals("-") ? stdin : Files.newInputStream(Path.of(source))) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new Cli.UsageException(label + " is larger than " + limit + " bytes (give a smaller file)");
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new Cli.UsageException(label + " does not exist (check the path)");
        } catch (CharacterCodingException e) {
            throw new Cli.UsageException(label + " is not UTF-8 text (give a text file)");
        } catch (IOException e) {
            throw new Cli.UsageException("cannot read " + label + ": " + e.getMessage() + " (check the path and its permissions)");
        }
    }
}
