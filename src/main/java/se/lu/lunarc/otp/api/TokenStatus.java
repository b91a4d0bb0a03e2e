package se.lu.lunarc.otp.api;

import java.util.Locale;

/** Token states as the API shows them. */
public enum TokenStatus {
    PENDING, ACTIVE, DISABLED, REVOKED, EXPIRED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TokenStatus fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
