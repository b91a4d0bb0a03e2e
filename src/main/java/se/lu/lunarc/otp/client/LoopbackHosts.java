package se.lu.lunarc.otp.client;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Loopback by name or literal address, without a DNS lookup (a lookup could be answered by anyone). */
final class LoopbackHosts {
    private LoopbackHosts() {}

    static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false; // a name: do not resolve it
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
