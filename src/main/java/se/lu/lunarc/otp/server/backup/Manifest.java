package se.lu.lunarc.otp.server.backup;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code manifest.json} in a backup folder: when the copy was taken, of which store and schema, and each file's
 * size and SHA-256, so that a restore can tell a whole copy from a damaged one. It names where the key lives and
 * never holds it.
 */
record Manifest(int format, String created, String store, int schemaVersion, String keyFile, List<Entry> files) {
    static final String FILE = "manifest.json";
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Entry(String name, long bytes, String sha256) {}

    static Entry of(Path file) throws IOException {
        return new Entry(file.getFileName().toString(), Files.size(file), sha256(file));
    }

    static Manifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(dir + " holds no " + FILE + ": it is not a backup made by lunarc-otp-server backup");
        }
        return JSON.readValue(file.toFile(), Manifest.class);
    }

    void write(Path dir) throws IOException {
        Files.writeString(dir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
    }

    Instant createdAt() {
        return Instant.parse(created);
    }

    /** Null when every file is there with its size and checksum, else what is wrong. */
    String damage(Path dir) throws IOException {
        for (Entry e : files) {
            Path f = dir.resolve(e.name());
            if (!Files.isRegularFile(f)) {
                return f + " is missing";
            }
            if (Files.size(f) != e.bytes() || !sha256(f).equals(e.sha256())) {
                return f + " does not match its size and SHA-256 in " + FILE;
            }
        }
        return null;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                d.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
