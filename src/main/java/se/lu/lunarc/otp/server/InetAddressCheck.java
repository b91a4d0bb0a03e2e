package se.lu.lunarc.otp.server;

import java.net.InetAddress;
import java.net.UnknownHostException;

final class InetAddressCheck {
    private InetAddressCheck() {}

    static void requireLoopback(String host) {
        try {
            if (!InetAddress.getByName(host).isLoopbackAddress()) {
                throw new IllegalArgumentException("the demo listens on loopback only, not on " + host);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve " + host, e);
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
