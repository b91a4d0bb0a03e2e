package se.lu.lunarc.otp.testing;

import se.lu.lunarc.otp.server.ServerConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real PKCS#11 token: Debian's SoftHSM2, its tokens in a folder of the build (SOFTHSM2_CONF, set for the test
 * JVM by the pom). One token per test JVM, made before the library is first loaded (SoftHSM finds its tokens when
 * it is initialized); each test uses keys of its own labels in it.
 */
public final class SoftHsm {
    public static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    private static final String PIN = "user-pin-for-tests";
    private static SoftHsm token;

    public final long slot;
    public final Path pinFile;

    private SoftHsm(long slot, Path pinFile) {
        this.slot = slot;
        this.pinFile = pinFile;
    }

    /** The JVM's token, made on first use. */
    public static synchronized SoftHsm token() throws Exception {
        if (token != null) {
            return token;
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            throw new AssertionError("SOFTHSM2_CONF is not set: run the tests through Maven (the pom sets it)");
        }
        if (!Files.exists(Path.of(LIBRARY))) {
            throw new AssertionError("SoftHSM2 is not installed: apt-get install softhsm2 (.ci/run does)");
        }
        Path dir = Path.of(conf).getParent();
        Path tokens = dir.resolve("tokens");
        if (Files.exists(tokens)) {
            try (var old = Files.walk(tokens)) {
                for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(tokens);
        Files.writeString(Path.of(conf), "directories.tokendir = " + tokens.toAbsolutePath() + "\n"
                + "objectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        Process p = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", "lunarc-tests",
                "--so-pin", "so-pin-for-tests", "--pin", PIN).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("softhsm2-util --init-token failed: " + out);
        }
        Matcher slot = Pattern.compile("reassigned to slot (\\d+)").matcher(out);
        if (!slot.find()) {
            throw new AssertionError("softhsm2-util did not say the slot: " + out);
        }
        Path pin = dir.resolve("pin");
        Files.writeString(pin, PIN + "\n");
        Files.setPosixFilePermissions(pin, PosixFilePermissions.fromString("rw-------"));
        token = new SoftHsm(Long.parseLong(slot.group(1)), pin);
        return token;
    }

    /** A SQLite store whose key is {@code label} in this token. */
    public ServerConfig.Store sqliteStore(String label) {
        return new ServerConfig.Store("sqlite", null, null, null, 0, "pkcs11",
                new ServerConfig.Pkcs11(LIBRARY, slot, label, pinFile));
    }

    /** The same as YAML, for a server.yaml. */
    public String storeYaml(String label) {
        return "store:\n  key: pkcs11\n  pkcs11: {library: " + LIBRARY + ", slot: " + slot + ", label: " + label
                + ", pinFile: " + pinFile + "}\n";
    }

    /** The labels of the secret keys in the token, read through the JDK's own PKCS#11 provider. */
    public List<String> keyLabels() throws Exception {
        java.security.KeyStore ks = keyStore();
        return java.util.Collections.list(ks.aliases());
    }

    /** What the token gives of {@code label}'s key bytes: null when the key is sensitive (it never leaves). */
    public byte[] encodedKey(String label) throws Exception {
        return keyStore().getKey(label, null).getEncoded();
    }

    private java.security.KeyStore keyStore() throws Exception {
        java.security.Provider p = java.security.Security.getProvider("SunPKCS11").configure(
                "--name = test-reader\nlibrary = " + LIBRARY + "\nslot = " + slot + "\n");
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS11", p);
        ks.load(null, PIN.toCharArray());
        return ks;
    }
}
