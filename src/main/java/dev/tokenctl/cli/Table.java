package dev.tokenctl.cli;

import dev.tokenctl.core.Text;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A plain text table: a header row and left-aligned columns two spaces apart. Cells are never
 * cut: when a width is set and the table is wider, a column with a compact form (a permission
 * list as {@code ManageCluster +2}) takes it, then whole columns are left out from the right,
 * but never the {@link #keep kept} ones (the first by default). Styles (colours) are applied after
 * alignment.
 */
final class Table {
    private static final int CHUNK = 8192;
    private static final String SPACES = " ".repeat(64);
    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();
    private final Map<Integer, UnaryOperator<String>> compact = new HashMap<>();
    private final Map<Integer, UnaryOperator<String>> styles = new HashMap<>();
    private final Set<Integer> kept = new HashSet<>(Set.of(0));

    Table(String... headers) {
        this.headers = headers;
    }

    /** Adds a row; its cells are escaped, so no stored text can reach a terminal raw. */
    void row(String... cells) {
        for (int i = 0; i < cells.length; i++) {
            cells[i] = Text.escape(cells[i]);
        }
        rows.add(cells);
    }

    /** Gives a column a compact form of its cells, used when the table is too wide. */
    Table compact(int column, UnaryOperator<String> form) {
        compact.put(column, form);
        return this;
    }

    /** These columns, as well as the first, are never left out. */
    Table keep(int... columns) {
        for (int column : columns) {
            kept.add(column);
        }
        return this;
    }

    Table style(int column, UnaryOperator<String> style) {
        styles.put(column, style);
        return this;
    }

    void print(PrintWriter out) {
        print(out, 0);
    }

    /**
     * Prints the table within {@code width} columns where it can; 0 means no limit. Returns the
     * headers of the columns left out, in the table's order; empty when none were.
     */
    List<String> print(PrintWriter out, int width) {
        int[] widths = widths();
        if (width > 0 && total(widths) > width && !compact.isEmpty()) {
            for (String[] row : rows) {
                compact.forEach((column, form) -> row[column] = form.apply(row[column]));
            }
            widths = widths();
        }
        List<String> leftOut = new ArrayList<>();
        for (int column = headers.length - 1; width > 0 && total(widths) > width && column >= 0; column--) {
            if (!kept.contains(column)) {
                widths[column] = -1;
                leftOut.add(0, headers[column]);
            }
        }
        // Lines go out a few kilobytes at a time: a write per line costs a short-lived process more
        // than the lines themselves.
        StringBuilder text = new StringBuilder(CHUNK + 512);
        line(text, headers, widths, null);
        @SuppressWarnings("unchecked")
        UnaryOperator<String>[] painters = new UnaryOperator[headers.length];
        styles.forEach((column, style) -> painters[column] = style);
        char[] chunk = new char[CHUNK + 512];
        for (String[] row : rows) {
            line(text, row, widths, painters);
            if (text.length() >= CHUNK) {
                chunk = write(out, text, chunk);
            }
        }
        write(out, text, chunk);
        return leftOut;
    }

    /** Writes and empties {@code text} through {@code chunk}, or a larger array that it returns. */
    private static char[] write(PrintWriter out, StringBuilder text, char[] chunk) {
        char[] chars = chunk.length < text.length() ? new char[text.length()] : chunk;
        text.getChars(0, text.length(), chars, 0);
        out.write(chars, 0, text.length());
        text.setLength(0);
        return chars;
    }

    private int[] widths() {
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = length(headers[i]);
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], length(row[i]));
            }
        }
        return widths;
    }

    /** The width of the columns that are shown, with two spaces between each. */
    private static int total(int[] widths) {
        int sum = -2;
        for (int w : widths) {
            sum += w < 0 ? 0 : w + 2;
        }
        return sum;
    }

    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /** Appends a line of {@code cells}, each styled by its painter when {@code painters} are given. */
    private static void line(StringBuilder text, String[] cells, int[] widths, UnaryOperator<String>[] painters) {
        int start = text.length();
        for (int i = 0; i < cells.length; i++) {
            if (widths[i] < 0) {
                continue;
            }
            String cell = cells[i];
            UnaryOperator<String> style = painters == null ? null : painters[i];
            text.append(style == null ? cell : style.apply(cell));
            for (int pad = widths[i] - length(cell) + 2; pad > 0; pad -= SPACES.length()) {
                text.append(SPACES, 0, Math.min(pad, SPACES.length()));
            }
        }
        int end = text.length();
        while (end > start && text.charAt(end - 1) == ' ') {
            end--;
        }
        text.setLength(end);
        text.append(System.lineSeparator());
    }
}
