package dev.tokenctl.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Arguments Java decoded as ASCII, in the C locale, read again as UTF-8 from the process's command line. */
class Utf8ArgumentsTest {
    static final Charset ASCII = StandardCharsets.US_ASCII;
    static final String NAME = "caf\u00e9-\u00fc";

    /** A /proc/self/cmdline: each argument's bytes, NUL-terminated. */
    private static byte[] cmdline(Charset charset, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String arg : args) {
            bytes.writeBytes(arg.getBytes(charset));
            bytes.write(0);
        }
        return bytes.toByteArray();
    }

    /** What Java makes of {@code args} given as UTF-8 when it decodes them in {@code charset}. */
    private static String[] decoded(Charset charset, String... args) {
        String[] decoded = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            decoded[i] = new String(args[i].getBytes(StandardCharsets.UTF_8), charset);
        }
        return decoded;
    }

    @Test
    void argumentsJavaDamagedAreReadAgainAsUtf8() {
        String[] args = decoded(ASCII, "token", "show", NAME);
        assertThat(args[2]).isEqualTo("caf\uFFFD\uFFFD-\uFFFD\uFFFD");
        byte[] cmdline = cmdline(StandardCharsets.UTF_8, "java", "-cp", "lib/*", "dev.tokenctl.startup.Main", "token", "show",
                NAME);
        assertThat(Utf8Arguments.of(args, cmdline, ASCII)).containsExactly("token", "show", NAME);
        assertThat(Utf8Arguments.of(new String[0], cmdline, ASCII)).isEmpty();
    }

    @Test
    void argumentsNotOnTheCommandLineAreLeftAsJavaMadeThem() {
        String[] args = decoded(ASCII, "token", "show", NAME);
        // java @argfile: as many entries, other ones.
        byte[] fromFile = cmdline(StandardCharsets.UTF_8, "java", "@args", "x", "y", "z");
        assertThat(Utf8Arguments.of(args, fromFile, ASCII)).isSameAs(args);
        byte[] tooShort = cmdline(StandardCharsets.UTF_8, "java", "show", NAME);
        assertThat(Utf8Arguments.of(args, tooShort, ASCII)).isSameAs(args);
    }

    @Test
    void bytesThatAreNotUtf8AreLeftAsJavaMadeThem() {
        byte[] cmdline = cmdline(StandardCharsets.ISO_8859_1, "java", "dev.tokenctl.startup.Main", "show", NAME);
        String[] args = {"show", new String(NAME.getBytes(StandardCharsets.ISO_8859_1), ASCII)};
        assertThat(Utf8Arguments.of(args, cmdline, ASCII)).isSameAs(args);
    }

    @Test
    void undamagedArgumentsAreNotReadAgain() {
        String[] args = {"token", "list"};
        assertThat(Utf8Arguments.of(args)).isSameAs(args);
    }
}
