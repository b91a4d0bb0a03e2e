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
 */
public final class SecretCipher {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SecretCipher.class);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** The next key's file, beside the key file, while a rotation is under way. */
    public static final String NEXT = ".next";

    private final Path keyFile;
    private final Path nextFile;
    private final SecretKeySpec firstKey; // what derive() uses: the same for the life of this process
    private final SecureRandom random = new SecureRandom();
    private volatile Keyring ring;

    /** The keys held: the one new secrets are sealed with first, then the others that still open older ones. */
    private record Keyring(List<SecretKeySpec> keys, List<Object> stamps) {}

    private SecretCipher(Path keyFile, Keyring ring) {
        this.keyFile = keyFile;
        this.nextFile = keyFile.resolveSibling(keyFile.getFileName() + NEXT);
        this.ring = ring;
        this.firstKey = ring.keys().get(ring.keys().size() - 1);
    }

    public static SecretCipher fromKeyFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            try {
                PrivateFiles.writeNewAtomically(file, fresh);
            } finally {
                Arrays.fill(fresh, (byte) 0);
            }
        }
        return new SecretCipher(file, load(file, file.resolveSibling(file.getFileName() + NEXT)));
    }

    /** Makes {@code secret.key.next} (0600, written atomically) unless it is there; true when it was made now. */
    public static boolean makeNextKey(Path keyFile) throws IOException {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try {
            return PrivateFiles.writeNewAtomically(keyFile.resolveSibling(keyFile.getFileName() + NEXT), fresh);
        } finally {
            Arrays.fill(fresh, (byte) 0);
        }
    }

    private static Keyring load(Path file, Path next) throws IOException {
        List<SecretKeySpec> keys = new ArrayList<>();
        List<Object> stamps = new ArrayList<>();
        for (Path f : List.of(next, file)) {
            stamps.add(stamp(f));
            if (f == next && !Files.exists(f)) {
                continue;
            }
            keys.add(new SecretKeySpec(readKey(f), "AES"));
        }
        return new Keyring(List.copyOf(keys), stamps);
    }

    private static byte[] readKey(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IOException("key file " + file + " is readable by others; chmod 600 it");
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length != 32) {
            Arrays.fill(bytes, (byte) 0);
            throw new IOException("key file " + file + " must hold 32 bytes, has " + bytes.length);
        }
        return bytes;
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
            ring = load(keyFile, nextFile);
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
     * A key for {@code purpose} (HMAC-SHA256 of the purpose under this key): the same on every node that holds
     * the same key file, and telling nothing about this key.
     */
    public byte[] derive(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(firstKey.getEncoded(), "HmacSHA256"));
            return mac.doFinal(("lunarc-otp derived key: " + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    public byte[] encrypt(byte[] plain, String boundTo) {
        refresh();
        SecretKeySpec key = ring.keys().get(0);
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public byte[] decrypt(byte[] stored, String boundTo) {
        for (int attempt = 0; attempt < 2; attempt++) {
            for (SecretKeySpec key : ring.keys()) {
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
    private static byte[] open(SecretKeySpec key, byte[] stored, String boundTo) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
            c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException wrongKey) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }
}
