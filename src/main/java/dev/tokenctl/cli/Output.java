package dev.tokenctl.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Writes view records as JSON or YAML with one configured mapper each: snake_case keys in the
 * records' order, nulls kept so every object has the same shape. Text output is each command's
 * own. The mappers are built on first use, so text commands never load Jackson.
 */
final class Output {
    /** The output formats of {@code -o}. */
    enum Format { text, json, yaml }

    final Format format;
    final PrintWriter out;
    final Context context;

    Output(Format format, PrintWriter out, Context context) {
        this.format = format;
        this.out = out;
        this.context = context;
    }

    boolean isText() {
        return format == Format.text;
    }

    /** Writes one value as a JSON or YAML document. */
    void value(Object view) {
        try {
            mapper().writerWithDefaultPrettyPrinter().writeValue(out, view);
            if (format == Format.json) {
                out.println();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes values as one JSON array or YAML sequence, one at a time, for listings of any size. */
    Sequence sequence() {
        try {
            return new Sequence(mapper().writerWithDefaultPrettyPrinter().writeValues(out).init(true), out,
                    format == Format.json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one value as a line of JSON Lines, or as one YAML document of a stream. */
    void line(Object view) {
        try {
            if (format == Format.yaml) {
                out.print("---\n");
            }
            mapper().writeValue(out, view);
            if (format == Format.json) {
                out.print('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An open JSON array or YAML sequence. */
    static final class Sequence implements AutoCloseable {
        private final SequenceWriter writer;
        private final PrintWriter out;
        private final boolean newline;

        Sequence(SequenceWriter writer, PrintWriter out, boolean newline) {
            this.writer = writer;
            this.out = out;
            this.newline = newline;
        }

        void add(Object view) {
            try {
                writer.write(view);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                writer.close();
                if (newline) {
                    out.println();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    ObjectMapper mapper() {
        return format == Format.yaml ? Yaml.MAPPER : Json.MAPPER;
    }

    static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    }

    /** Holders, so that each mapper is built only when that format is used. */
    static final class Json {
        static final ObjectMapper MAPPER = configure(new ObjectMapper());
    }

    static final class Yaml {
        static final ObjectMapper MAPPER = configure(new ObjectMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .stringQuotingChecker(new PlainOnlyWhenSafe())
                .build()));
    }

    /**
     * Leaves a string unquoted only when every YAML reader, 1.1 or 1.2, reads it back as the same
     * string: words of letters, digits and {@code _ . / -} that start with a letter and are not
     * a boolean or null keyword, and durations. Anything else ({@code 123}, {@code 0x1F}, {@code 1:20},
     * {@code .inf}, {@code 2026-01-01}, {@code no}, {@code =}, {@code <<}) is quoted.
     */
    static final class PlainOnlyWhenSafe extends StringQuotingChecker {
        private static final java.util.regex.Pattern SAFE = java.util.regex.Pattern.compile(
                "[A-Za-z][A-Za-z0-9_./-]*( [A-Za-z0-9_./-]+)*"
                        // durations such as 30d or 1d12h: no number, date or time in either version
                        + "|([0-9]+[wdhms])+");
        private static final java.util.regex.Pattern KEYWORD =
                java.util.regex.Pattern.compile("(?i)y|n|yes|no|true|false|on|off|null");

        @Override
        public boolean needToQuoteName(String name) {
            return needToQuoteValue(name);
        }

        @Override
        public boolean needToQuoteValue(String value) {
            return !SAFE.matcher(value).matches() || KEYWORD.matcher(value).matches();
        }
    }
}
