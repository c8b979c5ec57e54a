package com.employable.flotilla.devstack;

import java.io.PrintStream;

/** One self-overwriting progress line on a terminal; an occasional plain line when output goes to a file. */
final class Progress {

    private static final boolean TERMINAL = System.console() != null;

    private Progress() {}

    static void line(PrintStream out, String text, long seconds) {
        if (TERMINAL) {
            out.printf("\r\033[K%s %3ds", text, seconds);
            out.flush();
        } else if (seconds % 10 == 0) {
            out.printf("%s %3ds%n", text, seconds);
        }
    }

    static void done(PrintStream out, String text) {
        out.printf(TERMINAL ? "\r\033[K%s%n" : "%s%n", text);
    }
}
