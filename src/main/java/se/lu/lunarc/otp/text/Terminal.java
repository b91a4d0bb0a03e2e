package se.lu.lunarc.otp.text;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The terminal: a real console (secrets read without echo) or, when stdin is not a terminal, plain lines from
 * stdin, so that scripts and tests can drive the same flow.
 */
public final class Terminal {
    private final Console console;
    private final BufferedReader in;
    private final PrintStream out;
    private final int columns;

    public Terminal(Console console, BufferedReader in, PrintStream out, int columns) {
        this.console = console;
        this.in = in;
        this.out = out;
        this.columns = columns;
    }

    public boolean interactive() {
        return console != null;
    }

    public int columns() {
        return columns;
    }

    public void println(String line) {
        out.println(line);
        out.flush();
    }

    public void print(String text) {
        out.print(text);
        out.flush();
    }

    /** A line, trimmed; null at the end of input. */
    public String ask(String prompt) throws IOException {
        print(prompt);
        String line = console != null ? console.readLine() : in.readLine();
        return line == null ? null : line.trim();
    }

    /** A secret (password, code), never echoed; null at the end of input. The caller wipes the array. */
    public char[] askSecret(String prompt) throws IOException {
        if (console != null) {
            return console.readPassword("%s", prompt);
        }
        print(prompt);
        String line = in.readLine();
        if (line == null) {
            return null;
        }
        println(""); // the newline an echoing terminal would have shown
        return line.trim().toCharArray();
    }

    /** A code, read like a secret: codes are never echoed. */
    public String askCode(String prompt) throws IOException {
        char[] c = askSecret(prompt);
        if (c == null) {
            return null;
        }
        String code = new String(c);
        Arrays.fill(c, '\0');
        return code;
    }
}
