package se.lu.lunarc.otp.server.signin;

/** Shows enough of a mobile number to recognise it: {@code +46701234512} → {@code +46 70*** **12}. */
public final class PhoneMask {
    private PhoneMask() {}

    public static String mask(String mobile) {
        String compact = mobile.replaceAll("[^+0-9]", "");
        if (compact.length() < 7) {
            return "*** **";
        }
        String last2 = compact.substring(compact.length() - 2);
        // a fixed-width mask: the number of hidden digits is not shown either
        if (compact.startsWith("+46")) {
            return "+46 " + compact.substring(3, 5) + "*** **" + last2;
        }
        return compact.substring(0, 3) + " " + "*** **" + last2;
    }
}
