package dev.tokenctl.startup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line as UTF-8 whatever the locale. Java decodes its arguments in the locale's
 * charset: ASCII in the C locale that cron, {@code env -i} and systemd units give, where each
 * byte of 'é' becomes U+FFFD, so a name would be stored damaged and never found again. The
 * launcher runs Java in a UTF-8 locale there; this mends the arguments of
 * {@code java -jar tokenctl.jar} from the bytes the kernel keeps of the command line.
 */
final class Utf8Arguments {
    private static final char REPLACEMENT = '\uFFFD';

    private Utf8Arguments() {
    }

    /**
     * {@code args}, decoded again as UTF-8 when Java's charset for them is another and lost
     * characters in them; otherwise, or when the raw command line cannot be matched with them
     * or is not UTF-8 either, {@code args} unchanged.
     */
    static String[] of(String[] args) {
        String encoding = System.getProperty("sun.jnu.encoding", "UTF-8");
        if (isUtf8(encoding) || !anyDamaged(args)) {
            return args;
        }
        try {
            return of(args, Files.readAllBytes(Path.of("/proc/self/cmdline")), Charset.forName(encoding));
        } catch (IOException | RuntimeException e) {
            return args;  // not Linux, or no /proc: as Java decoded them
        }
    }

    /**
     * {@code args} decoded again from {@code cmdline}, the process's NUL-terminated arguments
     * (the JVM's own first, then the main class's), which Java decoded in {@code charset}.
     */
    static String[] of(String[] args, byte[] cmdline, Charset charset) {
        List<byte[]> raw = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                raw.add(Arrays.copyOfRange(cmdline, start, i));
                start = i + 1;
            }
        }
        // At least the java command and the main class or jar come before the arguments.
        int first = raw.size() - args.length;
        if (first < 2) {
            return args;
        }
        String[] decoded = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            byte[] bytes = raw.get(first + i);
            // Arguments from an @argfile, say, are not on the command line: the count may work
            // out while the entries are others. Each must be what Java made of it.
            if (!new String(bytes, charset).equals(args[i])) {
                return args;
            }
            try {
                decoded[i] = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                return args;
            }
        }
        return decoded;
    }

    private static boolean anyDamaged(String[] args) {
        for (String arg : args) {
            if (arg.indexOf(REPLACEMENT) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUtf8(String encoding) {
        return encoding.equalsIgnoreCase("UTF-8") || encoding.equalsIgnoreCase("UTF8");
    }
}
