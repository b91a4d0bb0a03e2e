package se.lu.lunarc.otp.server.users;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

/**
 * Mobile numbers as the SMS gateway wants them: E.164 ({@code +46701740601}), parsed by libphonenumber from
 * however the directory writes them ({@code 070-174 06 01}, {@code +46 (0)70 174 06 01}), with numbers without a
 * country code taken to be in the site's region.
 */
public final class MobileNumbers {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private final String defaultRegion;

    public MobileNumbers(String defaultRegion) {
        if (!UTIL.getSupportedRegions().contains(defaultRegion)) {
            throw new IllegalArgumentException("users.defaultRegion must be an ISO 3166 country code such as SE, not "
                    + defaultRegion);
        }
        this.defaultRegion = defaultRegion;
    }

    /** The number in E.164, or null when there is none or it is not a valid number (reported like a missing one). */
    public String e164(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            Phonenumber.PhoneNumber n = UTIL.parse(raw, defaultRegion);
            return UTIL.isValidNumber(n) ? UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164) : null;
        } catch (NumberParseException e) {
            return null;
        }
    }
}
