package dev.tokenctl.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How help is laid out where picocli's own layout breaks what a user copies. picocli wraps text
 * where java.text's line BreakIterator allows, and that allows breaks inside words, after ':',
 * '.' or '?' among others: a default such as {@code ~/.local/share} or {@code [::1]:8470} came
 * out split over two lines. Here descriptions break at spaces only, and a word longer than its
 * column is printed whole, moved left into the empty margin as far as it needs to fit the width;
 * the footer (examples) is printed line for line as written, whatever the width, as copying an
 * example needs it whole.
 */
final class HelpLayout {
    private HelpLayout() {
    }

    /** Installs the layout on {@code commandLine} and the commands under it. */
    static void install(CommandLine commandLine) {
        Map<String, CommandLine.IHelpSectionRenderer> sections = new HashMap<>(commandLine.getHelpSectionMap());
        for (String key : new String[] {UsageMessageSpec.SECTION_KEY_DESCRIPTION, UsageMessageSpec.SECTION_KEY_PARAMETER_LIST,
                UsageMessageSpec.SECTION_KEY_OPTION_LIST, UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
                UsageMessageSpec.SECTION_KEY_FOOTER}) {
            sections.put(key, new Section(key));
        }
        commandLine.setHelpSectionMap(sections);
    }

    /**
     * The footer's lines as help prints them: each annotation line expanded as picocli expands a
     * format string ({@code %n} a line break, {@code %%} a percent sign), markup removed.
     */
    static List<String> footerLines(UsageMessageSpec usage) {
        List<String> lines = new ArrayList<>();
        Help.ColorScheme plain = Help.defaultColorScheme(Help.Ansi.OFF);
        for (String line : usage.footer()) {
            lines.addAll(plain.text(format(line)).plainString().lines().toList());
        }
        return lines;
    }

    /** A line of a footer that starts a section of its own, such as {@code Examples:}. */
    static boolean heading(String line) {
        return !line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && line.endsWith(":");
    }

    /** As picocli formats a line of help: a line that is not a valid format string is printed as it is. */
    private static String format(String line) {
        try {
            return String.format(line);
        } catch (IllegalFormatException e) {
            return line;
        }
    }

    /** One section of the help; one class for all, as every run loads it, help or not. */
    private record Section(String key) implements CommandLine.IHelpSectionRenderer {
        @Override
        public String render(Help help) {
            return switch (key) {
                case UsageMessageSpec.SECTION_KEY_DESCRIPTION -> description(help);
                case UsageMessageSpec.SECTION_KEY_PARAMETER_LIST -> help.parameterList(layout(help), help.parameterLabelRenderer());
                case UsageMessageSpec.SECTION_KEY_OPTION_LIST -> optionList(help);
                case UsageMessageSpec.SECTION_KEY_COMMAND_LIST -> commandList(help);
                default -> footer(help);
            };
        }
    }

    private static String description(Help help) {
        WordTable table = new WordTable(help.colorScheme(), new Column(help.commandSpec().usageMessage().width(), 0,
                Column.Overflow.WRAP));
        table.indentWrappedLines = 0;
        for (String line : help.commandSpec().usageMessage().description()) {
            table.addRowValues(format(line));
        }
        return table.toString();
    }

    private static String optionList(Help help) {
        Set<OptionSpec> inSections = new HashSet<>();
        for (ArgGroupSpec group : help.optionSectionGroups()) {
            inSections.addAll(group.allOptionsNested());
        }
        List<OptionSpec> options = new ArrayList<>();
        for (OptionSpec option : help.commandSpec().options()) {
            if (!option.hidden() && !inSections.contains(option)) {
                options.add(option);
            }
        }
        // Argument groups with a heading of their own keep picocli's layout: no command has one.
        return help.optionListExcludingGroups(options, layout(help), help.createDefaultOptionSort(),
                help.parameterLabelRenderer()) + help.optionListGroupSections();
    }

    /** picocli's layout of options and parameters, in a table that breaks lines at spaces only. */
    private static Help.Layout layout(Help help) {
        Help.ColorScheme colours = help.colorScheme();
        int longOptions = help.calcLongOptionColumnWidth(help.commandSpec().options(),
                help.commandSpec().positionalParameters(), colours);
        Column[] columns = TextTable.forDefaultColumns(colours, longOptions, help.commandSpec().usageMessage().width())
                .columns();
        return new Help.Layout(colours, new WordTable(colours, columns), help.createDefaultOptionRenderer(),
                help.createDefaultParameterRenderer());
    }

    /** Each command's name and the first line of its description, as picocli lists them. */
    private static String commandList(Help help) {
        Map<String, Help> commands = help.subcommands();
        if (commands.isEmpty()) {
            return "";
        }
        int width = help.commandSpec().usageMessage().width();
        int names = 0;
        for (String name : commands.keySet()) {
            names = Math.max(names, name.length());
        }
        names = Math.min(names, width / 2);
        WordTable table = new WordTable(help.colorScheme(), new Column(names + 2, 2, Column.Overflow.SPAN),
                new Column(width - (names + 2), 2, Column.Overflow.WRAP));
        for (Help command : commands.values()) {
            UsageMessageSpec usage = command.commandSpec().usageMessage();
            String first = usage.header().length > 0 ? usage.header()[0]
                    : usage.description().length > 0 ? usage.description()[0] : "";
            Text[] lines = help.colorScheme().text(format(first)).splitLines();
            for (int i = 0; i < lines.length; i++) {
                table.addRowValues(i == 0 ? command.commandNamesText(", ") : help.colorScheme().text(""), lines[i]);
            }
        }
        return table.toString();
    }

    private static String footer(Help help) {
        StringBuilder s = new StringBuilder();
        for (String line : help.commandSpec().usageMessage().footer()) {
            for (String part : help.colorScheme().text(format(line)).toString().split("\n", -1)) {
                s.append(part.stripTrailing()).append(System.lineSeparator());
            }
        }
        return s.toString();
    }

    /**
     * picocli's table, whose wrapping columns break lines at spaces only; a word longer than the
     * column stays whole.
     */
    private static final class WordTable extends TextTable {
        private final Help.ColorScheme colours;
        private final Column[] columns;

        WordTable(Help.ColorScheme colours, Column... columns) {
            super(colours, columns);
            this.colours = colours;
            this.columns = columns;
        }

        @Override
        public Cell putValue(int row, int col, Text value) {
            Column column = columns[col];
            if (column.overflow != Column.Overflow.WRAP || value == null || value.plainString().isEmpty()) {
                return super.putValue(row, col, value);
            }
            String plain = value.plainString();
            int at = 0;
            while (at < plain.length()) {
                int indent = column.indent + (at == 0 ? 0 : indentWrappedLines);
                int end = lineEnd(plain, at, column.width - indent);
                if (at > 0) {
                    addEmptyRow();
                    row = rowCount() - 1;
                }
                Text cell = value.substring(at, end);
                columnValues.set(row * columns.length + col, colours.text(" ".repeat(indent)).concat(cell));
                at = end;
                while (at < plain.length() && plain.charAt(at) == ' ') {
                    at++;
                }
            }
            return new Cell(col, row);
        }

        /** Where the line from {@code start} ends: at the last space that lets it fit, else after its first word. */
        private static int lineEnd(String text, int start, int room) {
            if (text.length() - start <= room) {
                return text.length();
            }
            int space = text.lastIndexOf(' ', start + room);
            while (space > start && text.charAt(space - 1) == ' ') {
                space--;
            }
            if (space > start) {
                return space;
            }
            int after = text.indexOf(' ', start);
            while (after == start) {
                after = text.indexOf(' ', ++start);
            }
            return after < 0 ? text.length() : after;
        }

        /** As picocli prints the table, but a row wider than the table gives up its leading spaces to fit. */
        @Override
        public StringBuilder toString(StringBuilder text) {
            int tableWidth = 0;
            for (Column column : columns) {
                tableWidth += column.width;
            }
            for (int row = 0; row < rowCount(); row++) {
                StringBuilder line = new StringBuilder();
                int width = 0;
                for (int col = 0; col < columns.length; col++) {
                    Text cell = textAt(row, col);
                    int length = cell.plainString().length();
                    line.append(cell);
                    if (col < columns.length - 1) {
                        line.append(" ".repeat(Math.max(0, columns[col].width - length)));
                        width += Math.max(columns[col].width, length);
                    } else {
                        width += length;
                    }
                }
                int end = line.length();
                while (end > 0 && line.charAt(end - 1) == ' ') {
                    end--;
                }
                line.setLength(end);
                int start = 0;
                while (width - start > tableWidth && start < line.length() && line.charAt(start) == ' ') {
                    start++;
                }
                text.append(line, start, line.length()).append(System.lineSeparator());
            }
            return text;
        }
    }
}
