package se.lu.lunarc.otp.server.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

public final class InetAddressCheck {
    private InetAddressCheck() {}

    public static void requireLoopback(String host) {
        if (!isLoopback(host)) {
            throw new IllegalArgumentException("the demo listens on loopback only, not on " + host);
        }
    }

    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
