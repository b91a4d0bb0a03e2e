package se.lu.lunarc.otp.server.store;

import se.lu.lunarc.otp.server.secrets.PrivateFiles;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * AES-256-GCM for token secrets at rest. The key lives in its own file, created 0600 on first start, so a
 * copy of the database alone reveals no secret. The row id is bound in as associated data, so a secret
 * cannot be moved to another row.
 *
 * <p>During a key rotation the data folder also holds the next key, {@code secret.key.next}: from the moment it is
 * there, new secrets are sealed with it and secrets are opened with either key, so that no login fails while
 * {@code rotate-key} re-seals the rows. The files are looked at again (their modification time, not their bytes)
 * before sealing and when a secret opens with no key held, so a running server follows a rotation without a
 * restart.
 *
 * <p>With {@code store.key: pkcs11} the key lives in an HSM and never leaves it: the key file then holds only
 * {@code pkcs11:label=NAME}, the key's label in the token, and the cipher works through the JDK's SunPKCS11
 * provider ({@link Pkcs11Keys}). A file key and an HSM key can be the two keys of one rotation, which is how a
 * site moves its key into an HSM.
 */
public final class SecretCipher {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SecretCipher.class);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** The next key's file, beside the key file, while a rotation is under way. */
    public static final String NEXT = ".next";

    private final Path keyFile;
    private final Path nextFile;
    private final Pkcs11Keys hsm; // null: keys in files only
    private final Key firstKey; // what derive() uses: the same for the life of this process
    private final SecureRandom random = new SecureRandom();
    private volatile Keyring ring;

    /** A key and the provider that works with it (null: the JDK's default, for a key held in memory). */
    private record Key(javax.crypto.SecretKey key, java.security.Provider provider) {
        Cipher cipher(String transformation) throws GeneralSecurityException {
            return provider == null ? Cipher.getInstance(transformation) : Cipher.getInstance(transformation, provider);
        }
    }

    /** The keys held: the one new secrets are sealed with first, then the others that still open older ones. */
    private record Keyring(List<Key> keys, List<Object> stamps) {}

    private SecretCipher(Path keyFile, Pkcs11Keys hsm, Keyring ring) {
        this.keyFile = keyFile;
        this.nextFile = keyFile.resolveSibling(keyFile.getFileName() + NEXT);
        this.hsm = hsm;
        this.ring = ring;
        this.firstKey = ring.keys().get(ring.keys().size() - 1);
    }

    /** The cipher of the store {@code store} configures, its key in {@code keyFile} or named there. */
    public static SecretCipher forStore(se.lu.lunarc.otp.server.ServerConfig.Store store, Path keyFile,
                                        java.time.Clock clock) throws IOException {
        return fromKeyFile(keyFile, Pkcs11Keys.of(store, clock));
    }

    /** The token this cipher's keys are in, or null when they are files. */
    public Pkcs11Keys hsm() {
        return hsm;
    }

    /** The cipher of a store whose keys are files ({@code store.key: file}, the default). */
    public static SecretCipher fromKeyFile(Path file) throws IOException {
        return fromKeyFile(file, null);
    }

    /**
     * The cipher of the key {@code file} holds or names, made at first start: 32 random bytes, or with {@code hsm}
     * a key in the token under its configured label (used as it is when the token has one already).
     */
    public static SecretCipher fromKeyFile(Path file, Pkcs11Keys hsm) throws IOException {
        if (!Files.exists(file)) {
            byte[] fresh = hsm == null ? randomKey() : hsm.keyFileFor(hsm.ensureConfiguredKey());
            try {
                PrivateFiles.writeNewAtomically(file, fresh);
            } finally {
                Arrays.fill(fresh, (byte) 0);
            }
        }
        return new SecretCipher(file, hsm, load(file, file.resolveSibling(file.getFileName() + NEXT), hsm));
    }

    /**
     * Makes {@code secret.key.next} (0600, written atomically) unless it is there: 32 random bytes, or with
     * {@code hsm} a new key in the token. True when it was made now.
     */
    public static boolean makeNextKey(Path keyFile, Pkcs11Keys hsm) throws IOException {
        Path next = keyFile.resolveSibling(keyFile.getFileName() + NEXT);
        if (Files.exists(next)) {
            return false;
        }
        byte[] fresh = hsm == null ? randomKey() : hsm.keyFileFor(hsm.generateNext());
        try {
            return PrivateFiles.writeNewAtomically(next, fresh);
        } finally {
            Arrays.fill(fresh, (byte) 0);
        }
    }

    private static byte[] randomKey() {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        return fresh;
    }

    private static Keyring load(Path file, Path next, Pkcs11Keys hsm) throws IOException {
        List<Key> keys = new ArrayList<>();
        List<Object> stamps = new ArrayList<>();
        for (Path f : List.of(next, file)) {
            stamps.add(stamp(f));
            if (f == next && !Files.exists(f)) {
                continue;
            }
            keys.add(readKey(f, hsm));
        }
        return new Keyring(List.copyOf(keys), stamps);
    }

    private static Key readKey(Path file, Pkcs11Keys hsm) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IOException("key file " + file + " is readable by others; chmod 600 it");
        }
        byte[] bytes = Files.readAllBytes(file);
        String label = Pkcs11Keys.labelIn(bytes);
        if (label != null) {
            if (hsm == null) {
                throw new IOException("key file " + file + " names a key in an HSM (" + new String(bytes,
                        StandardCharsets.US_ASCII).strip() + "), but store.key is not pkcs11: configure store.pkcs11");
            }
            return new Key(hsm.key(label), hsm.provider());
        }
        if (bytes.length != 32) {
            Arrays.fill(bytes, (byte) 0);
            throw new IOException("key file " + file + " must hold 32 bytes, has " + bytes.length);
        }
        try {
            return new Key(new SecretKeySpec(bytes, "AES"), null);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static Object stamp(Path f) {
        try {
            var a = Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class);
            return List.of(a.lastModifiedTime(), String.valueOf(a.fileKey()), a.size());
        } catch (IOException missing) {
            return "missing";
        }
    }

    /** Reads the key files again if they changed since they were read; true when the keys held changed. */
    private synchronized boolean refresh() {
        Keyring held = ring;
        if (List.of(stamp(nextFile), stamp(keyFile)).equals(held.stamps())) {
            return false;
        }
        try {
            ring = load(keyFile, nextFile, hsm);
            return true;
        } catch (IOException | RuntimeException e) {
            // a half-copied or world-readable next key: keep what works, say why, look again next time
            LOG.warn("The store key files changed but cannot be used yet, so this server keeps its keys: {}",
                    e.getMessage());
            ring = new Keyring(held.keys(), List.of(stamp(nextFile), stamp(keyFile)));
            return false;
        }
    }

    /** Whether {@code stored} is sealed with the key new secrets are sealed with. */
    public boolean sealedWithNewest(byte[] stored, String boundTo) {
        return open(ring.keys().get(0), stored, boundTo) != null;
    }

    /** How many keys are held now (2 while a rotation is under way). */
    public int keysHeld() {
        return ring.keys().size();
    }

    /**
     * A key for {@code purpose}: the same on every node that holds the same key, and telling nothing about it.
     * HMAC-SHA256 of the purpose under a file key; in an HSM, where the key cannot be read out to key an HMAC,
     * AES of the purpose's SHA-256 (two blocks: AES is a pseudorandom permutation, so this is a PRF too).
     */
    public byte[] derive(String purpose) {
        byte[] input = ("lunarc-otp derived key: " + purpose).getBytes(StandardCharsets.UTF_8);
        try {
            if (firstKey.provider() == null) {
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(firstKey.key().getEncoded(), "HmacSHA256"));
                return mac.doFinal(input);
            }
            Cipher aes = firstKey.cipher("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, firstKey.key());
            return aes.doFinal(java.security.MessageDigest.getInstance("SHA-256").digest(input));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("key derivation unavailable", e);
        }
    }

    public byte[] encrypt(byte[] plain, String boundTo) {
        refresh();
        Key key = ring.keys().get(0);
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = key.cipher("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public byte[] decrypt(byte[] stored, String boundTo) {
        for (int attempt = 0; attempt < 2; attempt++) {
            for (Key key : ring.keys()) {
                byte[] plain = open(key, stored, boundTo);
                if (plain != null) {
                    return plain;
                }
            }
            if (!refresh()) {
                break;
            }
        }
        throw new IllegalStateException("a stored secret failed its integrity check (wrong key file?)");
    }

    /** The plain bytes, or null when {@code key} does not open {@code stored}. */
    private static byte[] open(Key key, byte[] stored, String boundTo) {
        try {
            Cipher c = key.cipher("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
            c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException wrongKey) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }
}
