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

    @Test
    void tooWideLeavesOutColumnsFromTheRightButNeverKeptOnesAndSaysWhichItLeftOut() {
        Table table = new Table("ID", "NAME", "PERMISSIONS", "STATUS", "EXPIRES", "CREATED").keep(1, 3);
        table.row("t1", "a-long-name", "ReadHealthCheck", "retiring", "2027-01-01", "2026-01-01");
        StringWriter out = new StringWriter();
        assertThat(table.print(new PrintWriter(out), 5)).as("however narrow").containsExactly("PERMISSIONS", "EXPIRES", "CREATED");
        assertThat(out.toString()).isEqualTo("ID  NAME         STATUS\nt1  a-long-name  retiring\n");

        StringWriter fits = new StringWriter();
        assertThat(table.print(new PrintWriter(fits), 65)).containsExactly("CREATED");
        assertThat(fits.toString()).startsWith("ID  NAME         PERMISSIONS      STATUS    EXPIRES\n");
        assertThat(table.print(new PrintWriter(new StringWriter()), 66)).as("exactly as wide").isEmpty();
        assertThat(table.print(new PrintWriter(new StringWriter()), 0)).as("no limit").isEmpty();
    }

    @Test
    void theFirstColumnIsKeptWhenNoOtherIs() {
        Table table = new Table("NAME", "RULES");
        table.row("office", "12");
        StringWriter out = new StringWriter();
        assertThat(table.print(new PrintWriter(out), 3)).containsExactly("RULES");
        assertThat(out.toString()).isEqualTo("NAME\noffice\n");
    }
}
