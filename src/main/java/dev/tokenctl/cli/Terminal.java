package dev.tokenctl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** What the terminal allows: colour only on a terminal without NO_COLOR, and its width. */
final class Terminal {
    private Terminal() {
    }

    static boolean colour(Context context) {
        String noColor = context.env().get("NO_COLOR");
        return context.interactive() && (noColor == null || noColor.isEmpty());
    }

    /**
     * Columns available to a table on a terminal: $COLUMNS when set, else the terminal's width.
     * 0, for no limit, when output goes to a pipe or file, which is never cut (an exported
     * COLUMNS describes the terminal, not the pipe).
     */
    static int width(Context context) {
        if (!context.interactive()) {
            return 0;
        }
        String columns = context.env().get("COLUMNS");
        if (columns != null && columns.matches("[0-9]{1,4}")) {
            return Integer.parseInt(columns);
        }
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (stty.waitFor(1, TimeUnit.SECONDS) && size.matches("[0-9]+ [0-9]+")) {
                return Integer.parseInt(size.substring(size.indexOf(' ') + 1));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // No usable terminal: no limit.
        }
        return 0;
    }

    /** Wraps text in an ANSI colour when colour is on. */
    static String paint(boolean colour, String code, String text) {
        return colour ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }
}
