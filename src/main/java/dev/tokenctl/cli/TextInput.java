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
    /** U+FEFF, the byte order mark some editors put at the start of a UTF-8 file. */
    static final String BOM = "\uFEFF";

    private TextInput() {
    }

    static String read(String source, InputStream stdin, int limit) {
        return read("--file", source, stdin, limit);
    }

    /** {@link #read(String, InputStream, int)} for an option of another name. */
    static String read(String option, String source, InputStream stdin, int limit) {
        String label = source.equals("-") ? "standard input" : Converters.shown(source);
        Path path;
        try {
            path = source.equals("-") ? null : Converters.path(source);
        } catch (picocli.CommandLine.TypeConversionException e) {
            throw new Cli.UsageException(option + ": " + e.getMessage());
        }
        try (InputStream in = path == null ? stdin : Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new Cli.UsageException(label + " is larger than " + limit + " bytes (give a smaller file)");
            }
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            // A byte order mark, as some Windows editors write: not part of the text.
            return text.startsWith(BOM) ? text.substring(1) : text;
        } catch (NoSuchFileException e) {
            throw new Cli.UsageException(label + " does not exist (check the path)");
        } catch (CharacterCodingException e) {
            throw new Cli.UsageException(label + " is not UTF-8 text (give a text file)");
        } catch (IOException e) {
            throw new Cli.UsageException("cannot read " + label + ": " + Converters.shown(e.getMessage())
                    + " (check the path and its permissions)");
        }
    }
}
