package se.lu.lunarc.otp.server.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IP address or CIDR block ({@code 192.0.2.0/24}, {@code 2001:db8::/32}), matched without DNS. */
public record AddressBlock(byte[] network, int prefixBits) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** {@code text} as a block; IllegalArgumentException (naming {@code what}) when it is not one. */
    public static AddressBlock parse(String text, String what) {
        String[] parts = text.trim().split("/", 2);
        InetAddress network = literal(parts[0]);
        if (network == null) {
            throw new IllegalArgumentException(what + ": " + text + " is not an IP address or CIDR block");
        }
        int maxBits = network.getAddress().length * 8;
        int bits;
        try {
            bits = parts.length == 2 ? Integer.parseInt(parts[1]) : maxBits;
        } catch (NumberFormatException e) {
            bits = -1;
        }
        if (bits < 0 || bits > maxBits) {
            throw new IllegalArgumentException(what + ": bad prefix length in " + text);
        }
        return new AddressBlock(network.getAddress(), bits);
    }

    /** An IP address literal, or null for anything else (a host name is never looked up). */
    public static InetAddress literal(String text) {
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.length() > 45 || !(IPV4.matcher(t).matches() || IPV6.matcher(t).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefixBits; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
