package dev.tokenctl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Writes view records as JSON or YAML with one configured mapper each: snake_case keys in the
 * records' order, nulls kept so every object has the same shape. Text output is each command's
 * own. The mappers are built on first use, so text commands never load Jackson.
 */
final class Output {
    /** The output formats of {@code -o}: wide is text with every column of a table, whatever the width. */
    enum Format { text, wide, json, yaml }

    final Format format;
    final PrintWriter out;
    final Context context;

    Output(Format format, PrintWriter out, Context context) {
        this.format = format;
        this.out = out;
        this.context = context;
    }

    boolean isText() {
        return format == Format.text || format == Format.wide;
    }

    /** The width a table must fit: the terminal's for text, none for wide (or off a terminal). */
    int width() {
        return format == Format.wide ? 0 : Terminal.width(context);
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

    /**
     * Writes values as one JSON array or YAML sequence, one at a time, for listings of any size;
     * buffered as text output is, not flushed after each value (a write to stdout for each token).
     */
    Sequence sequence() {
        try {
            return new Sequence(mapper().writerWithDefaultPrettyPrinter().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
                    .writeValues(out).init(true), out, format == Format.json);
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
        return format == Format.yaml ? Mappers.YamlOut.MAPPER : Mappers.JsonOut.MAPPER;
    }
}
