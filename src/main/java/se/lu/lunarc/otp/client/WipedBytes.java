package se.lu.lunarc.otp.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A request body being written, whose buffer can be wiped: what a plain ByteArrayOutputStream leaves behind (its
 * buffer, grown and copied) would keep a password after the request was sent.
 */
final class WipedBytes extends ByteArrayOutputStream {
    WipedBytes() {
        super(256);
    }

    /** Zeros the whole buffer, and forgets the length. */
    void wipe() {
        Arrays.fill(buf, (byte) 0);
        count = 0;
    }

    /** Whether nothing is left in the buffer, as after {@link #wipe}. */
    boolean isWiped() {
        for (byte b : buf) {
            if (b != 0) {
                return false;
            }
        }
        return count == 0;
    }

    /** Grows without leaving the old, shorter buffer unwiped behind. */
    private void room(int more) {
        if (count + more > buf.length) {
            byte[] bigger = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            Arrays.fill(buf, (byte) 0);
            buf = bigger;
        }
    }

    @Override
    public synchronized void write(int b) {
        room(1);
        super.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        room(len);
        super.write(b, off, len);
    }

    void ascii(String s) {
        writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code s} as a JSON string (RFC 8259 §7) in UTF-8, never through a String. */
    void jsonString(char[] s) {
        write('"');
        for (int i = 0; i < s.length; i++) {
            char c = s[i];
            if (c == '"' || c == '\\') {
                write('\\');
                write(c);
            } else if (c < 0x20) {
                write('\\');
                write('u');
                write('0');
                write('0');
                write(Character.forDigit(c >> 4, 16));
                write(Character.forDigit(c & 0xf, 16));
            } else if (c < 0x80) {
                write(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length && Character.isLowSurrogate(s[i + 1])) {
                utf8(Character.toCodePoint(c, s[++i]));
            } else {
                utf8(Character.isSurrogate(c) ? 0xFFFD : c); // a lone surrogate cannot be UTF-8
            }
        }
        write('"');
    }

    private void utf8(int cp) {
        if (cp < 0x800) {
            write(0xC0 | cp >> 6);
            write(0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            write(0xE0 | cp >> 12);
            write(0x80 | cp >> 6 & 0x3F);
            write(0x80 | cp & 0x3F);
        } else {
            write(0xF0 | cp >> 18);
            write(0x80 | cp >> 12 & 0x3F);
            write(0x80 | cp >> 6 & 0x3F);
            write(0x80 | cp & 0x3F);
        }
    }
}
