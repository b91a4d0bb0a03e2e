package se.lu.lunarc.otp.server.hardware;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the token seeds a vendor sends in a PSKC file (RFC 6030): plaintext keys, keys encrypted with a pre-shared
 * AES key, and keys encrypted with a key derived from a passphrase (PBKDF2). An encrypted value is taken only when
 * its MAC (HMAC over IV and ciphertext, under the file's MAC key) matches, checked before anything is decrypted.
 * All or nothing: a file with any fault gives no seed at all, with a message that says what is wrong and never
 * quotes a key. The XML parser reads no DTD and no external entity.
 */
public final class Pskc {
    static final String PSKC = "urn:ietf:params:xml:ns:keyprov:pskc";
    static final String XMLENC = "http://www.w3.org/2001/04/xmlenc#";
    static final String XMLENC11 = "http://www.w3.org/2009/xmlenc11#";
    static final String DSIG = "http://www.w3.org/2000/09/xmldsig#";
    static final String PKCS5 = "http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#";

    private static final Map<String, Integer> AES_CBC = Map.of(XMLENC + "aes128-cbc", 16, XMLENC + "aes192-cbc", 24,
            XMLENC + "aes256-cbc", 32);
    private static final Map<String, String> HMACS = Map.of(DSIG + "hmac-sha1", "HmacSHA1",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", "HmacSHA256");
    private static final Map<String, String> PRFS = Map.of(DSIG + "hmac-sha1", "PBKDF2WithHmacSHA1",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", "PBKDF2WithHmacSHA256");

    private Pskc() {
    }

    /** HOTP counts presses; TOTP counts time steps. */
    public enum Kind { HOTP, TOTP }

    /** One token's seed. {@link #wipe} when done; {@code toString} leaves the secret out. */
    public record Seed(String serial, String manufacturer, Kind kind, int digits, long counter, int timeStep,
                       byte[] secret) {
        public void wipe() {
            Arrays.fill(secret, (byte) 0);
        }

        @Override
        public String toString() {
            return "Seed[serial=" + serial + ", manufacturer=" + manufacturer + ", kind=" + kind + ", digits="
                    + digits + ", counter=" + counter + ", timeStep=" + timeStep + "]";
        }
    }

    /** How the file's encrypted values are opened: nothing given, a pre-shared AES key, or a passphrase. */
    public sealed interface Unlock {
        record None() implements Unlock {}

        record PreSharedKey(byte[] key) implements Unlock {}

        record Passphrase(char[] passphrase) implements Unlock {}
    }

    /** The file cannot be imported; nothing of it was taken. The message is for the administrator. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    public static List<Seed> read(InputStream in, Unlock unlock) throws Refused, IOException {
        Document doc = PskcXml.parse(in);
        Element root = doc.getDocumentElement();
        if (!PSKC.equals(root.getNamespaceURI()) || !"KeyContainer".equals(root.getLocalName())) {
            throw new Refused("not a PSKC file: its root element is not a KeyContainer of RFC 6030");
        }
        if (!"1.0".equals(root.getAttribute("Version"))) {
            throw new Refused("PSKC version " + root.getAttribute("Version") + " is not supported (only 1.0)");
        }
        byte[] key = null;
        byte[] macKey = null;
        String macAlgorithm = null;
        List<Seed> seeds = new ArrayList<>();
        try {
            Element encryptionKey = PskcXml.child(root, PSKC, "EncryptionKey");
            if (encryptionKey != null) {
                key = encryptionKey(encryptionKey, unlock);
            }
            Element macMethod = PskcXml.child(root, PSKC, "MACMethod");
            if (macMethod != null) {
                macAlgorithm = HMACS.get(macMethod.getAttribute("Algorithm"));
                if (macAlgorithm == null) {
                    throw new Refused("the MAC algorithm " + macMethod.getAttribute("Algorithm") + " is not supported");
                }
                Element macKeyElement = PskcXml.child(macMethod, PSKC, "MACKey");
                if (macKeyElement == null || key == null) {
                    throw new Refused("the MAC key is missing, or there is no encryption key to open it with");
                }
                macKey = decrypt(macKeyElement, key, "the MAC key");
            }
            // a file that declares encryption, or one the administrator gave a key for, must have every seed
            // encrypted: a plain one in it is what a file swapped on its way would carry (seeds someone knows)
            boolean encrypted = encryptionKey != null || macMethod != null || !(unlock instanceof Unlock.None);
            Set<String> serials = new HashSet<>();
            int index = 0;
            for (Element keyPackage : PskcXml.children(root, PSKC, "KeyPackage")) {
                index++;
                Seed seed = seed(keyPackage, index, key, macKey, macAlgorithm, encrypted);
                seeds.add(seed);
                if (!serials.add(seed.serial())) {
                    throw new Refused("the serial number " + seed.serial() + " appears twice in the file");
                }
            }
            if (seeds.isEmpty()) {
                throw new Refused("the file holds no key package");
            }
            return seeds;
        } catch (Refused | RuntimeException e) {
            seeds.forEach(Seed::wipe);
            throw e;
        } finally {
            wipe(key);
            wipe(macKey);
        }
    }

    private static byte[] encryptionKey(Element encryptionKey, Unlock unlock) throws Refused {
        Element derived = PskcXml.child(encryptionKey, XMLENC11, "DerivedKey");
        if (derived != null) {
            if (!(unlock instanceof Unlock.Passphrase p)) {
                throw new Refused("the keys are encrypted with a passphrase: give it with --passphrase-file");
            }
            return pbkdf2(derived, p.passphrase());
        }
        if (!(unlock instanceof Unlock.PreSharedKey k)) {
            throw new Refused("the keys are encrypted with a pre-shared key: give it with --key-file");
        }
        if (!AES_CBC.containsValue(k.key().length)) {
            throw new Refused("the pre-shared key has " + k.key().length + " bytes; AES takes 16, 24 or 32");
        }
        return k.key().clone();
    }

    private static byte[] pbkdf2(Element derived, char[] passphrase) throws Refused {
        Element method = PskcXml.child(derived, XMLENC11, "KeyDerivationMethod");
        if (method == null || !(PKCS5 + "pbkdf2").equals(method.getAttribute("Algorithm"))) {
            throw new Refused("only PBKDF2 derived keys are supported");
        }
        Element params = PskcXml.child(method, PKCS5, "PBKDF2-params");
        if (params == null) {
            throw new Refused("the PBKDF2 parameters are missing");
        }
        Element salt = PskcXml.child(PskcXml.child(params, null, "Salt"), null, "Specified");
        Element iterations = PskcXml.child(params, null, "IterationCount");
        Element length = PskcXml.child(params, null, "KeyLength");
        if (salt == null || iterations == null || length == null) {
            throw new Refused("the PBKDF2 parameters lack a salt, an iteration count or a key length");
        }
        Element prf = PskcXml.child(params, null, "PRF");
        String prfUri = prf == null || prf.getAttribute("Algorithm").isEmpty() ? DSIG + "hmac-sha1"
                : prf.getAttribute("Algorithm");
        String algorithm = PRFS.get(prfUri);
        if (algorithm == null) {
            throw new Refused("the PBKDF2 function " + prfUri + " is not supported");
        }
        int count = PskcXml.number(iterations, "IterationCount");
        int bytes = PskcXml.number(length, "KeyLength");
        if (!AES_CBC.containsValue(bytes) || count < 1 || count > 10_000_000) {
            throw new Refused("the PBKDF2 parameters are out of range");
        }
        PBEKeySpec spec = new PBEKeySpec(passphrase, PskcXml.base64(salt, "the PBKDF2 salt"), count, bytes * 8);
        try {
            return SecretKeyFactory.getInstance(algorithm).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static Seed seed(Element keyPackage, int index, byte[] key, byte[] macKey, String macAlgorithm,
                             boolean encrypted) throws Refused {
        String where = "key package " + index;
        Element device = PskcXml.child(keyPackage, PSKC, "DeviceInfo");
        String serial = PskcXml.text(PskcXml.child(device, PSKC, "SerialNo"));
        if (serial == null || serial.isBlank()) {
            throw new Refused(where + " has no serial number (DeviceInfo/SerialNo), which users type to register "
                    + "the token");
        }
        serial = serial.strip();
        where = "the token with serial number " + serial;
        String manufacturer = PskcXml.text(PskcXml.child(device, PSKC, "Manufacturer"));
        Element k = PskcXml.child(keyPackage, PSKC, "Key");
        if (k == null) {
            throw new Refused(where + " has no key");
        }
        Kind kind = switch (k.getAttribute("Algorithm")) {
            case PSKC + ":hotp" -> Kind.HOTP;
            case PSKC + ":totp" -> Kind.TOTP;
            default -> throw new Refused(where + " uses " + k.getAttribute("Algorithm") + "; only HOTP and TOTP are "
                    + "supported");
        };
        int digits = 6;
        Element format = PskcXml.child(PskcXml.child(k, PSKC, "AlgorithmParameters"), PSKC, "ResponseFormat");
        if (format != null) {
            if (!"DECIMAL".equals(format.getAttribute("Encoding"))) {
                throw new Refused(where + " shows codes as " + format.getAttribute("Encoding") + "; only DECIMAL "
                        + "codes can be typed at the login prompt");
            }
            try {
                digits = Integer.parseInt(format.getAttribute("Length").strip());
            } catch (NumberFormatException e) {
                throw new Refused(where + "'s code length is not a number");
            }
            if (digits < 6 || digits > 8) {
                throw new Refused(where + " has " + digits + "-digit codes; 6 to 8 are supported");
            }
        }
        Element data = PskcXml.child(k, PSKC, "Data");
        Element secret = PskcXml.child(data, PSKC, "Secret");
        if (secret == null) {
            throw new Refused(where + " has no secret");
        }
        if (encrypted && PskcXml.child(secret, PSKC, "PlainValue") != null) {
            throw new Refused(where + "'s secret is in plain text, although the file is meant to be encrypted (it "
                    + "names an encryption key or a MAC, or a key or passphrase was given): the file may have been "
                    + "changed on its way. Ask the vendor for the file again");
        }
        byte[] value = value(secret, key, macKey, macAlgorithm, where + "'s secret");
        if (value.length < 10) {
            wipe(value);
            throw new Refused(where + "'s secret has " + value.length + " bytes; at least 10 (80 bits) are needed");
        }
        long counter = 0;
        Element counterElement = PskcXml.child(data, PSKC, "Counter");
        if (counterElement != null) {
            counter = numberValue(counterElement, key, macKey, macAlgorithm, where + "'s counter");
        }
        int timeStep = 30;
        Element interval = PskcXml.child(data, PSKC, "TimeInterval");
        if (interval != null) {
            timeStep = (int) numberValue(interval, key, macKey, macAlgorithm, where + "'s time interval");
        }
        Element time = PskcXml.child(data, PSKC, "Time");
        if (time != null && numberValue(time, key, macKey, macAlgorithm, where + "'s start time") != 0) {
            throw new Refused(where + " counts time from another start than 1970; that is not supported");
        }
        if (kind == Kind.TOTP && (timeStep < 1 || timeStep > 300)) {
            throw new Refused(where + " has a time step of " + timeStep + " s; 1 to 300 are supported");
        }
        return new Seed(serial, manufacturer == null ? null : manufacturer.strip(), kind, digits, counter, timeStep,
                value);
    }

    /** A PlainValue (base64) or an EncryptedValue with its ValueMAC. */
    private static byte[] value(Element holder, byte[] key, byte[] macKey, String macAlgorithm, String what)
            throws Refused {
        Element plain = PskcXml.child(holder, PSKC, "PlainValue");
        if (plain != null) {
            return PskcXml.base64(plain, what);
        }
        Element encrypted = PskcXml.child(holder, PSKC, "EncryptedValue");
        if (encrypted == null) {
            throw new Refused(what + " has no value");
        }
        if (key == null) {
            throw new Refused(what + " is encrypted, but the file names no encryption key");
        }
        Element mac = PskcXml.child(holder, PSKC, "ValueMAC");
        if (mac == null || macKey == null) {
            throw new Refused(what + " is encrypted without a MAC, so it cannot be checked");
        }
        byte[] ivAndCiphertext = cipherValue(encrypted, what);
        byte[] expected = hmac(macAlgorithm, macKey, ivAndCiphertext);
        if (!MessageDigest.isEqual(expected, PskcXml.base64(mac, what + "'s MAC"))) {
            throw new Refused("the MAC of " + what + " does not match: the key or passphrase is wrong, or the file "
                    + "was changed");
        }
        return decrypt(encrypted, key, what);
    }

    /** A counter or time value: decimal text in a PlainValue, or 8 bytes big-endian when encrypted. */
    private static long numberValue(Element holder, byte[] key, byte[] macKey, String macAlgorithm, String what)
            throws Refused {
        Element plain = PskcXml.child(holder, PSKC, "PlainValue");
        if (plain != null) {
            try {
                return Long.parseLong(PskcXml.text(plain).strip());
            } catch (NumberFormatException e) {
                throw new Refused(what + " is not a number");
            }
        }
        byte[] bytes = value(holder, key, macKey, macAlgorithm, what);
        if (bytes.length != 8) {
            throw new Refused(what + " is not an 8-byte number");
        }
        return java.nio.ByteBuffer.wrap(bytes).getLong();
    }

    private static byte[] decrypt(Element encrypted, byte[] key, String what) throws Refused {
        Element method = PskcXml.child(encrypted, XMLENC, "EncryptionMethod");
        Integer keyBytes = method == null ? null : AES_CBC.get(method.getAttribute("Algorithm"));
        if (keyBytes == null) {
            throw new Refused(what + " is encrypted with " + (method == null ? "no named method"
                    : method.getAttribute("Algorithm")) + "; AES-CBC is supported");
        }
        if (keyBytes != key.length) {
            throw new Refused(what + " needs a " + keyBytes + "-byte key; the key given has " + key.length);
        }
        byte[] all = cipherValue(encrypted, what);
        if (all.length < 32 || all.length % 16 != 0) {
            throw new Refused(what + " is not an AES-CBC value (IV and whole blocks)");
        }
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(all, 0, 16));
            return aes.doFinal(all, 16, all.length - 16);
        } catch (javax.crypto.BadPaddingException e) {
            throw new Refused(what + " does not decrypt: the key or passphrase is wrong");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC unavailable", e);
        }
    }

    private static byte[] cipherValue(Element encrypted, String what) throws Refused {
        Element value = PskcXml.child(PskcXml.child(encrypted, XMLENC, "CipherData"), XMLENC, "CipherValue");
        if (value == null) {
            throw new Refused(what + " has no CipherValue");
        }
        return PskcXml.base64(value, what);
    }

    private static byte[] hmac(String algorithm, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }

    private static void wipe(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }
}
