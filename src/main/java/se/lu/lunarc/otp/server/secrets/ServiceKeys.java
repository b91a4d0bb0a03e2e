package se.lu.lunarc.otp.server.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys the cluster's login bridges present to {@code /validate}: one per line in their file, so that a new key
 * can be added, rolled out to the bridges and the old line removed, each step followed by a reload (SIGHUP). The
 * file is made (0600, written atomically) with one random key at first start. Blank lines and lines starting with
 * {@code #} are skipped; a key shorter than {@link #MIN_LENGTH} refuses the file, so an empty header never matches.
 */
public final class ServiceKeys {
    public static final int MIN_LENGTH = 32;

    private final Path file;
    private volatile List<byte[]> keys;

    private ServiceKeys(Path file, List<byte[]> keys) {
        this.file = file;
        this.keys = keys;
    }

    public static ServiceKeys load(Path file) throws IOException {
        PrivateFiles.writeNewAtomically(file, (Secrets.randomId(256) + "\n").getBytes(StandardCharsets.US_ASCII));
        return new ServiceKeys(file, read(file));
    }

    /** Reads the file again; the keys in use change only when the whole file is good. Returns how many keys. */
    public int reload() throws IOException {
        List<byte[]> fresh = read(file);
        keys = fresh;
        return fresh.size();
    }

    /** Whether {@code presented} is one of the keys; every key is compared, in constant time each. */
    public boolean accepts(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] p = presented.getBytes(StandardCharsets.UTF_8);
        boolean any = false;
        for (byte[] k : keys) {
            any |= MessageDigest.isEqual(k, p);
        }
        return any;
    }

    public Path file() {
        return file;
    }

    private static List<byte[]> read(Path file) throws IOException {
        List<byte[]> keys = new ArrayList<>();
        int line = 0;
        for (String raw : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            line++;
            String key = raw.strip();
            if (key.isEmpty() || key.startsWith("#")) {
                continue;
            }
            if (key.length() < MIN_LENGTH) {
                throw new IllegalArgumentException("the service key on line " + line + " of " + file + " is shorter "
                        + "than " + MIN_LENGTH + " characters: write at least " + MIN_LENGTH + " random characters "
                        + "(openssl rand -hex 32), or delete the file to have a new key made at start");
            }
            keys.add(key.getBytes(StandardCharsets.US_ASCII));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the service key in " + file + " is empty or shorter than " + MIN_LENGTH
                    + " characters (the file holds no key): delete the file to have a new key made at start, or "
                    + "write at least " + MIN_LENGTH + " random characters into it");
        }
        return List.copyOf(keys);
    }
}
