package dev.tokenctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tables as printed: aligned columns two spaces apart, no trailing blanks, every row however many. */
class TableTest {
    @Test
    void aLongTableIsPrintedWholeAlignedWithoutTrailingBlanks() {
        Table table = new Table("ID", "NAME", "NOTE");
        List<String> expected = new ArrayList<>();
        String wide = "w".repeat(150);  // wider than any padding made at once
        expected.add("ID" + " ".repeat(4) + "NAME" + " ".repeat(148) + "NOTE");
        for (int i = 0; i < 2000; i++) {
            String id = String.valueOf(i % 10_000);
            String name = i == 7 ? wide : "n" + i;
            String note = i % 2 == 0 ? "" : "odd";
            table.row(id, name, note);
            String line = id + " ".repeat(6 - id.length()) + name + " ".repeat(152 - name.length()) + note;
            expected.add(line.stripTrailing());
        }
        StringWriter out = new StringWriter();
        table.print(new PrintWriter(out));
        assertThat(out.toString()).endsWith("\n").doesNotContain(" \n");
        assertThat(out.toString().lines().toList()).containsExactlyElementsOf(expected);
    }

    @Test
    void stylesPaintCellsAfterAlignmentButNeverTheHeader() {
        Table table = new Table("A", "B").style(0, cell -> "<" + cell + ">");
        table.row("x", "y");
        StringWriter out = new StringWriter();
        table.print(new PrintWriter(out));
        assertThat(out.toString()).isEqualTo("A  B\n<x>  y\n");
    }
}
