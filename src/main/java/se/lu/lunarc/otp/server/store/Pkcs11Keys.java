package se.lu.lunarc.otp.server.store;

import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.secrets.ConfigFiles;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * The store key in a PKCS#11 token (an HSM, or SoftHSM2), through the JDK's SunPKCS11 provider: logged in with the
 * PIN from {@code pinFile}, keys found by their label. A key made here is generated inside the token, sensitive
 * and not extractable, so it never leaves it; the server only asks the token to seal and open.
 */
public final class Pkcs11Keys {
    /** What a key file holds when its key is in the token: this, then the key's label. */
    static final String PREFIX = "pkcs11:label=";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
            .withZone(ZoneOffset.UTC);

    private final ServerConfig.Pkcs11 config;
    private final Provider provider;
    private final KeyStore token;
    private final Clock clock;

    private Pkcs11Keys(ServerConfig.Pkcs11 config, Provider provider, KeyStore token, Clock clock) {
        this.config = config;
        this.provider = provider;
        this.token = token;
        this.clock = clock;
    }

    /** The token {@code store.pkcs11} names, logged in; null when {@code store.key} is file. */
    public static Pkcs11Keys of(ServerConfig.Store store, Clock clock) throws IOException {
        if (!store.key().equals("pkcs11")) {
            return null;
        }
        ServerConfig.Pkcs11 c = store.pkcs11();
        String sunConfig = "--name = lunarc-otp\n"
                + "library = " + c.library() + "\n"
                + "slot = " + c.slot() + "\n"
                // keys generated here: kept in the token, never readable outside it
                + "attributes(generate, CKO_SECRET_KEY, CKK_AES) = {\n"
                + "  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n";
        char[] pin = ConfigFiles.readString(c.pinFile(), "store.pkcs11.pinFile").strip().toCharArray();
        try {
            Provider sun = Security.getProvider("SunPKCS11");
            if (sun == null) {
                throw new IOException("this Java has no SunPKCS11 provider (the jdk.crypto.cryptoki module)");
            }
            Provider p = sun.configure(sunConfig);
            KeyStore ks = KeyStore.getInstance("PKCS11", p);
            ks.load(null, pin);
            return new Pkcs11Keys(c, p, ks, clock);
        } catch (GeneralSecurityException | IOException | java.security.ProviderException e) {
            // the message names the library, slot and cause; never the PIN
            throw new IOException("cannot log in to the PKCS#11 token (store.pkcs11: library " + c.library()
                    + ", slot " + c.slot() + "): " + rootMessage(e) + ". Check the library path, the slot id "
                    + "(softhsm2-util --show-slots, pkcs11-tool -L) and the PIN in " + c.pinFile());
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    Provider provider() {
        return provider;
    }

    /** The label a key file names, or null when it holds a key itself. */
    static String labelIn(byte[] keyFile) {
        String text = new String(keyFile, StandardCharsets.US_ASCII);
        return text.startsWith(PREFIX) ? text.substring(PREFIX.length()).strip() : null;
    }

    byte[] keyFileFor(String label) {
        return (PREFIX + label + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The key labelled {@code label} in the token. SunPKCS11's key store lists the token's keys when it logs in:
     * one made since by another process (a rotation's command) is found by listing them again.
     */
    synchronized SecretKey key(String label) throws IOException {
        try {
            if (!token.containsAlias(label)) {
                char[] pin = ConfigFiles.readString(config.pinFile(), "store.pkcs11.pinFile").strip().toCharArray();
                try {
                    token.load(null, pin);
                } finally {
                    Arrays.fill(pin, '\0');
                }
            }
            java.security.Key k = token.getKey(label, null);
            if (!(k instanceof SecretKey secret)) {
                throw new IOException("the PKCS#11 token has no secret key labelled " + label + " (slot "
                        + config.slot() + "): was it deleted, or is this another token?");
            }
            return secret;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the key labelled " + label + " from the PKCS#11 token: "
                    + rootMessage(e));
        }
    }

    /** The configured label, with a key made under it in the token unless the token has one already. */
    synchronized String ensureConfiguredKey() throws IOException {
        try {
            if (!token.containsAlias(config.label())) {
                generate(config.label());
            }
            return config.label();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make the store key in the PKCS#11 token: " + rootMessage(e));
        }
    }

    /** A new key for a rotation, labelled with the configured label and the time. */
    synchronized String generateNext() throws IOException {
        String label = config.label() + "-" + STAMP.format(clock.instant());
        try {
            generate(label);
            return label;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make a new key in the PKCS#11 token: " + rootMessage(e));
        }
    }

    private void generate(String label) throws GeneralSecurityException {
        KeyGenerator aes = KeyGenerator.getInstance("AES", provider);
        aes.init(256);
        SecretKey inToken = aes.generateKey();
        token.setEntry(label, new KeyStore.SecretKeyEntry(inToken), null); // a token object, under the label
    }
}
