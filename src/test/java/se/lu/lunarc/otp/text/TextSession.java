package se.lu.lunarc.otp.text;

import se.lu.lunarc.otp.app.ClientSettings;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Text mode driven through its stdin and stdout, as a script (or a user at a pipe) would. */
final class TextSession implements AutoCloseable {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PipedOutputStream keyboard = new PipedOutputStream();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final Future<Integer> exit;
    private int readUpTo;

    TextSession(ClientSettings settings, TerminalQr.Style style, int columns) throws IOException {
        PipedInputStream stdin = new PipedInputStream(keyboard, 1 << 16);
        PrintStream stdout = new PrintStream(new SynchronizedOut(captured), true, StandardCharsets.UTF_8);
        Terminal term = new Terminal(null, new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)),
                stdout, columns);
        exit = thread.submit(() -> new TextWizard(term, settings, style).run());
    }

    private static final class SynchronizedOut extends java.io.OutputStream {
        private final ByteArrayOutputStream target;

        SynchronizedOut(ByteArrayOutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            synchronized (target) {
                target.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (target) {
                target.write(b, off, len);
            }
        }
    }

    String output() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until the output, past what was already read, contains {@code text}; returns that new output. */
    String expect(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String all = output();
            int at = all.indexOf(text, readUpTo);
            if (at >= 0) {
                String seen = all.substring(readUpTo, at + text.length());
                readUpTo = at + text.length();
                return seen;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no \"" + text + "\" in the output after 20 s; it ends with:\n"
                + output().substring(Math.max(0, output().length() - 1500)));
    }

    void type(String line) throws IOException {
        keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    int exitCode() throws Exception {
        keyboard.close();
        return exit.get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        keyboard.close();
        thread.shutdownNow();
    }
}
