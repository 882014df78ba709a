package dev.tokenctl.cli;

import dev.tokenctl.core.Text;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A plain text table: a header row and left-aligned columns two spaces apart. When a width is
 * set and the table is wider, the columns marked shrinkable are cut (ending in "…") and then
 * the droppable ones left out until it fits, so the columns never break. Styles (colours) are
 * applied after alignment.
 */
final class Table {
    private static final int MIN_SHRUNK = 8;
    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();
    private final List<Integer> shrinkable = new ArrayList<>();
    private final List<Integer> droppable = new ArrayList<>();
    private final Map<Integer, UnaryOperator<String>> styles = new HashMap<>();

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

    /** Lets this column be cut when the table is too wide; the first marked is cut first. */
    Table shrinkable(int column) {
        shrinkable.add(column);
        return this;
    }

    /** Lets this column be left out when cutting is not enough; the first marked goes first. */
    Table droppable(int column) {
        droppable.add(column);
        return this;
    }

    Table style(int column, UnaryOperator<String> style) {
        styles.put(column, style);
        return this;
    }

    void print(PrintWriter out) {
        print(out, 0);
    }

    /** Prints the table within {@code width} columns; 0 means no limit. */
    void print(PrintWriter out, int width) {
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = length(headers[i]);
        }
        int[][] lengths = new int[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            lengths[r] = new int[row.length];
            for (int i = 0; i < row.length; i++) {
                lengths[r][i] = length(row[i]);
                widths[i] = Math.max(widths[i], lengths[r][i]);
            }
        }
        if (width > 0) {
            int excess = total(widths) - width;
            for (int column : shrinkable) {
                if (excess <= 0) {
                    break;
                }
                int cut = Math.min(excess, widths[column] - Math.max(MIN_SHRUNK, length(headers[column])));
                if (cut > 0) {
                    widths[column] -= cut;
                    excess -= cut;
                }
            }
            for (int column : droppable) {
                if (excess <= 0) {
                    break;
                }
                excess -= widths[column] + 2;
                widths[column] = -1;
            }
        }
        int[] headerLengths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            headerLengths[i] = length(headers[i]);
        }
        StringBuilder line = new StringBuilder(256);
        line(out, line, headers, headerLengths, widths, false);
        for (int r = 0; r < rows.size(); r++) {
            line(out, line, rows.get(r), lengths[r], widths, true);
        }
    }

    private static int total(int[] widths) {
        int sum = 2 * (widths.length - 1);
        for (int w : widths) {
            sum += w;
        }
        return sum;
    }

    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    private void line(PrintWriter out, StringBuilder line, String[] cells, int[] lengths, int[] widths, boolean styled) {
        line.setLength(0);
        for (int i = 0; i < cells.length; i++) {
            if (widths[i] < 0) {
                continue;
            }
            String cell = cells[i];
            int length = lengths[i];
            if (length > widths[i]) {
                cell = cell.substring(0, cell.offsetByCodePoints(0, widths[i] - 1)) + "…";
                length = widths[i];
            }
            UnaryOperator<String> style = styled ? styles.get(i) : null;
            line.append(style == null ? cell : style.apply(cell));
            if (i < cells.length - 1) {
                line.append(" ".repeat(widths[i] - length + 2));
            }
        }
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        line.setLength(end);
        out.println(line);
    }
}
