package se.lu.lunarc.otp.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Bytes on a socket, for requests no well-behaved client would send; the answer as status, headers and body. */
public final class RawHttp {
    public record Answer(int status, String head, String body) {
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        public String contentType() {
            String t = header("Content-Type");
            return t == null ? null : t.toLowerCase(Locale.ROOT);
        }
    }

    private RawHttp() {}

    public static Answer send(int port, byte[] request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException closedEarly) {
                // the server may answer and close before it has read everything: read what it said
            }
            return read(s.getInputStream());
        }
    }

    public static Answer send(int port, String request) throws IOException {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                all.write(buffer, 0, n);
                String sofar = all.toString(StandardCharsets.ISO_8859_1);
                int end = sofar.indexOf("\r\n\r\n");
                if (end > 0) {
                    Answer a = parse(sofar, end);
                    String length = a.header("Content-Length");
                    if (length != null && a.body().getBytes(StandardCharsets.ISO_8859_1).length >= Integer.parseInt(length)) {
                        return a;
                    }
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException stopped) {
            // what arrived is the answer
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no HTTP answer: " + text);
        }
        return parse(text, end);
    }

    private static Answer parse(String text, int end) {
        String head = text.substring(0, end);
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        String body = new String(text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        return new Answer(status, head, body);
    }

    /** A POST with a chunked body of {@code size} bytes of JSON string content. */
    public static byte[] chunkedLogin(int size) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        String head = "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        b.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        byte[] start = "{\"username\":\"".getBytes(StandardCharsets.US_ASCII);
        chunk(b, start);
        byte[] filler = new byte[65536];
        java.util.Arrays.fill(filler, (byte) 'a');
        for (int sent = 0; sent < size; sent += filler.length) {
            chunk(b, filler);
        }
        chunk(b, "\"}".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream b, byte[] data) {
        b.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(data);
        b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
}
