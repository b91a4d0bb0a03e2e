package se.lu.lunarc.otp.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * TOTP key fobs as a vendor ships them: a plaintext PSKC file (RFC 6030) with one key package per serial number,
 * imported into a running test server's store with the site administrator's own command.
 */
public final class HardwareFobs {
    private HardwareFobs() {}

    /** Writes a PSKC file of TOTP fobs (SHA-1, 6 digits, 30 s) that all share {@code seed}. */
    public static Path write(Path file, byte[] seed, String... serials) throws Exception {
        return write(file, seed, 6, 30, serials);
    }

    /** The same with {@code digits}-digit codes every {@code periodSeconds} seconds. */
    public static Path write(Path file, byte[] seed, int digits, int periodSeconds, String... serials)
            throws Exception {
        StringBuilder packages = new StringBuilder();
        for (String serial : serials) {
            packages.append("""
                    <KeyPackage><DeviceInfo><SerialNo>%s</SerialNo></DeviceInfo>
                      <Key Id="%s" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:totp">
                        <AlgorithmParameters><ResponseFormat Length="%d" Encoding="DECIMAL"/></AlgorithmParameters>
                        <Data><Secret><PlainValue>%s</PlainValue></Secret>
                          <TimeInterval><PlainValue>%d</PlainValue></TimeInterval></Data></Key></KeyPackage>
                    """.formatted(serial, serial, digits, Base64.getEncoder().encodeToString(seed), periodSeconds));
        }
        Files.writeString(file, "<KeyContainer Version=\"1.0\" xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\">"
                + packages + "</KeyContainer>");
        return file;
    }

    /**
     * Runs {@code lunarc-otp server tokens import PSKC} against {@code server}'s data folder, with a site
     * configuration written to {@code configDir}; fails with the command's message when it refuses.
     */
    public static void importInto(TestServer server, Path configDir, Path pskc) throws Exception {
        Path config = configDir.resolve("site-for-import.yaml");
        Files.writeString(config, "listen: 127.0.0.1:0\ndataDir: " + server.dir.toAbsolutePath()
                + "\nusers: {file: users.yaml}\n");
        CliRun imported = CliRun.of(List.of("server", "tokens", "import"), pskc.toString(), "--config",
                config.toString());
        if (imported.exit() != 0) {
            throw new IllegalStateException("tokens import refused: " + imported.err());
        }
    }
}
