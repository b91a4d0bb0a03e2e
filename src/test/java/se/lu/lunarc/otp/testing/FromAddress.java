package se.lu.lunarc.otp.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;

/**
 * A TCP relay on loopback whose connections reach the server from another loopback address (127.0.0.66, say),
 * so that a test can be an attacker and the owner at two addresses, as the server sees them. Every byte passes
 * unchanged; nothing is parsed.
 */
public final class FromAddress implements AutoCloseable {
    private final ServerSocket listener;
    private final InetAddress from;
    private final InetSocketAddress to;

    public FromAddress(String fromAddress, URI server) throws IOException {
        this.from = InetAddress.getByName(fromAddress);
        this.to = new InetSocketAddress(InetAddress.getByName(server.getHost()), server.getPort());
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(this::accept, "relay-" + fromAddress);
        accepting.setDaemon(true);
        accepting.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket();
                upstream.bind(new InetSocketAddress(from, 0));
                upstream.connect(to);
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void pipe(Socket a, Socket b) {
        Thread t = new Thread(() -> {
            try (InputStream in = a.getInputStream(); OutputStream out = b.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ended) {
                // one side closed
            } finally {
                try {
                    a.close();
                    b.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
