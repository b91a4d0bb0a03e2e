package se.lu.lunarc.otp.client;

import okhttp3.Call;
import okhttp3.Dns;
import okhttp3.EventListener;
import okhttp3.Protocol;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A name's addresses (DNS round-robin), with those that refused a connection in the last minute put last, so that
 * the next try of a request that never got through goes to another address. OkHttp itself tries only the first
 * address when it may not retry, and it may not: a retried POST could send a second SMS.
 */
final class RefusingAddressesLast extends EventListener implements Dns {
    private static final long REMEMBER_NANOS = 60_000_000_000L;

    private final Dns resolver;
    /** When each address last refused (System.nanoTime). */
    private final Map<InetAddress, Long> refused = new ConcurrentHashMap<>();

    RefusingAddressesLast(Dns resolver) {
        this.resolver = resolver;
    }

    @Override
    public List<InetAddress> lookup(String host) throws UnknownHostException {
        List<InetAddress> all = resolver.lookup(host);
        long now = System.nanoTime();
        List<InetAddress> fine = new ArrayList<>();
        List<InetAddress> refusing = new ArrayList<>();
        for (InetAddress a : all) {
            Long when = refused.get(a);
            (when != null && now - when < REMEMBER_NANOS ? refusing : fine).add(a);
        }
        fine.addAll(refusing);
        return fine;
    }

    @Override
    public void connectFailed(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol, IOException e) {
        if (address.getAddress() != null) {
            refused.put(address.getAddress(), System.nanoTime());
        }
    }
}
