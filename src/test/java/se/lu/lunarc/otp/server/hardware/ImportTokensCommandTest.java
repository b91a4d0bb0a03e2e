package se.lu.lunarc.otp.server.hardware;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.store.Database;
import se.lu.lunarc.otp.server.store.SecretCipher;
import se.lu.lunarc.otp.testing.CliRun;
import se.lu.lunarc.otp.testing.Postgres;
import se.lu.lunarc.otp.testing.PostgresPerClass;
import se.lu.lunarc.otp.testing.TestServer;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lunarc-otp server tokens import} against a real store (SQLite, and a real PostgreSQL), beside a running
 * server on the same data folder, with RFC 6030's example files.
 */
class ImportTokensCommandTest {
    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    @TempDir
    Path dir;



    private static CliRun run(String... args) {
        return CliRun.of(List.of("server", "tokens", "import"), args);
    }

    private Path file(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private Path figure(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("rfc6030-" + name + ".pskcxml")) {
            Path f = dir.resolve(name + ".pskcxml");
            Files.write(f, in.readAllBytes());
            return f;
        }
    }

    /** The site: a server that has run on {@code data}, and the configuration file an administrator passes. */
    private record Site(TestServer server, Path config, ServerConfig.Store store) {}

    private Site site(String type) throws Exception {
        Path data = dir.resolve("data");
        String storeYaml = "";
        ServerConfig.Store store = new ServerConfig.Store("sqlite", null, null, null, 0);
        if (type.equals("postgresql")) {
            String url = postgres.newDatabase();
            Path password = file("store-password", Postgres.PASSWORD + "\n");
            storeYaml = "store: {type: postgresql, url: \"" + url + "\", user: " + Postgres.USER + ", passwordFile: "
                    + password + "}\n";
            store = new ServerConfig.Store("postgresql", url, Postgres.USER, password, 2);
        }
        ServerConfig.Store chosen = store;
        TestServer server = TestServer.start(data, c -> c.withStore(chosen));
        Path config = file("server.yaml", "listen: 127.0.0.1:0\ndataDir: data\nusers: {file: users.yaml}\n"
                + storeYaml);
        return new Site(server, config, store);
    }

    private static String totpFile(String... serials) {
        StringBuilder packages = new StringBuilder();
        for (String serial : serials) {
            packages.append("""
                    <KeyPackage>
                      <DeviceInfo><SerialNo>%s</SerialNo></DeviceInfo>
                      <Key Id="%s" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:totp">
                        <Data><Secret><PlainValue>%s</PlainValue></Secret></Data>
                      </Key>
                    </KeyPackage>
                    """.formatted(serial, serial, Base64.getEncoder().encodeToString(("seed of " + serial
                    + " 0123456789").getBytes(StandardCharsets.US_ASCII))));
        }
        return "<KeyContainer Version=\"1.0\" xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\">" + packages
                + "</KeyContainer>";
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void seedsAreImportedOnceSealedAndAudited(String type) throws Exception {
        Site site = site(type);
        try (TestServer server = site.server()) {
            Path key = file("vendor.key", "12345678901234567890123456789012\n");
            CliRun first = run(figure("figure6").toString(), "--config", site.config().toString(), "--key-file",
                    key.toString());
            assertThat(first.exit()).as(first.err()).isZero();
            assertThat(first.out()).contains("Imported 1 hardware token(s) from figure6.pskcxml.");

            // the same token again, in the vendor's passphrase-protected file: reported and skipped
            Path passphrase = file("vendor.passphrase", "qwerty\n");
            CliRun again = run(figure("figure7").toString(), "--config", site.config().toString(), "--passphrase-file",
                    passphrase.toString());
            assertThat(again.exit()).as(again.err()).isZero();
            assertThat(again.out()).contains("Imported 0", "Skipped 1 already imported: 987654321");

            CliRun totp = run(file("fobs.pskc", totpFile("FOB-0001", "FOB-0002")).toString(), "--config",
                    site.config().toString(), "--json");
            assertThat(totp.exit()).as(totp.err()).isZero();
            assertThat(totp.out().strip()).isEqualTo(
                    "{\"file\":\"fobs.pskc\",\"imported\":[\"FOB-0001\",\"FOB-0002\"],\"skipped\":[]}");

            SecretCipher cipher = SecretCipher.fromKeyFile(server.dir.resolve("secret.key"));
            try (Database db = Database.open(site.store(), server.dir)) {
                List<String> rows = db.read(c -> {
                    List<String> found = new ArrayList<>();
                    try (PreparedStatement p = c.prepareStatement("SELECT serial, kind, digits, period, counter, "
                            + "assigned_to FROM hardware_tokens ORDER BY serial");
                         ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            found.add(r.getString(1) + " " + r.getString(2) + " " + r.getInt(3) + " " + r.getInt(4)
                                    + " " + r.getLong(5) + " " + r.getString(6));
                        }
                    }
                    return found;
                });
                assertThat(rows).containsExactly("987654321 hotp 8 30 0 null", "FOB-0001 totp 6 30 0 null",
                        "FOB-0002 totp 6 30 0 null");
                byte[] sealed = db.read(c -> {
                    try (PreparedStatement p = c.prepareStatement(
                            "SELECT secret FROM hardware_tokens WHERE serial = '987654321'");
                         ResultSet r = p.executeQuery()) {
                        r.next();
                        return r.getBytes(1);
                    }
                });
                assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("12345678901234567890");
                assertThat(cipher.decrypt(sealed, "hardware:987654321"))
                        .isEqualTo("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
            }
            String audit = Files.readString(server.dir.resolve("audit.jsonl"));
            assertThat(audit).contains("\"event\":\"hardware_tokens_imported\"",
                    "file=figure6.pskcxml imported=1 skipped=0 by=" + System.getProperty("user.name"),
                    "file=figure7.pskcxml imported=0 skipped=1");
            assertThat(audit).doesNotContain("qwerty", "1234567890123456789012", "MTIzNDU2");
            for (CliRun r : List.of(first, again, totp)) {
                assertThat(r.out() + r.err()).as("no seed, key or passphrase printed")
                        .doesNotContain("12345678901234567890", "3132333435", "MTIzNDU2", "qwerty",
                                "12345678901234567890123456789012");
            }
        }
    }

    @Test
    void aFileWithAWrongMacOrPassphraseImportsNothing() throws Exception {
        Site site = site("sqlite");
        try (TestServer server = site.server()) {
            Path tampered = file("tampered.pskcxml", Files.readString(figure("figure6"))
                    .replace("Su+NvtQfmvfJzF6bmQiJqoLRExc=", "Tu+NvtQfmvfJzF6bmQiJqoLRExc="));
            Path key = file("vendor.key", "12345678901234567890123456789012");
            CliRun wrongMac = run(tampered.toString(), "--config", site.config().toString(), "--key-file", key.toString());
            assertThat(wrongMac.exit()).isEqualTo(1);
            assertThat(wrongMac.err()).contains("Nothing imported from", "MAC", "does not match");
            CliRun wrongPassphrase = run(figure("figure7").toString(), "--config", site.config().toString(),
                    "--passphrase-file", file("wrong", "qwertz").toString());
            assertThat(wrongPassphrase.exit()).isEqualTo(1);
            assertThat(wrongPassphrase.err()).contains("Nothing imported");
            try (Database db = Database.open(site.store(), server.dir)) {
                int count = db.read(c -> {
                    try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM hardware_tokens");
                         ResultSet r = p.executeQuery()) {
                        r.next();
                        return r.getInt(1);
                    }
                });
                assertThat(count).isZero();
            }
        }
    }

    @Test
    void aDataFolderWhereTheServerNeverRanIsLeftAlone() throws Exception {
        Path config = file("server.yaml", "listen: 127.0.0.1:0\ndataDir: empty\nusers: {file: users.yaml}\n");
        Files.createDirectories(dir.resolve("empty"));
        CliRun run = run(file("fobs.pskc", totpFile("FOB-0009")).toString(), "--config", config.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("Nothing imported", "has not run on", "start it once first");
        try (var listing = Files.list(dir.resolve("empty"))) {
            assertThat(listing).as("no file made there").isEmpty();
        }
    }
    @Test
    void aRefusedFileIsOnRecordAndItsRefusalIsJsonWithJson() throws Exception {
        Site site = site("sqlite");
        try (TestServer server = site.server()) {
            Path tampered = file("tampered.pskcxml", Files.readString(figure("figure6"))
                    .replace("Su+NvtQfmvfJzF6bmQiJqoLRExc=", "Tu+NvtQfmvfJzF6bmQiJqoLRExc="));
            Path key = file("vendor.key", "12345678901234567890123456789012");
            CliRun refused = run(tampered.toString(), "--config", site.config().toString(), "--key-file",
                    key.toString(), "--json");
            assertThat(refused.exit()).isEqualTo(1);
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(refused.out());
            assertThat(json.get("refused").asText()).contains("Nothing imported from", "does not match");
            assertThat(json.get("exit").asInt()).isEqualTo(1);
            String audit = Files.readString(server.dir.resolve("audit.jsonl"));
            assertThat(audit).contains("\"event\":\"hardware_tokens_import_refused\"", "file=tampered.pskcxml",
                    "does not match", "by=" + System.getProperty("user.name"));
            assertThat(audit).doesNotContain("12345678901234567890123456789012");
        }
    }

    @Test
    void aMissingFileIsNamedWithWhatIsWrongAndNothingIsDone() throws Exception {
        Site site = site("sqlite");
        try (TestServer server = site.server()) {
            CliRun missing = run(dir.resolve("no-such.pskc").toString(), "--config", site.config().toString());
            assertThat(missing.exit()).isEqualTo(2);
            assertThat(missing.err()).contains("Nothing imported: The PSKC file " + dir.resolve("no-such.pskc")
                    + " does not exist.");
            CliRun noKey = run(figure("figure6").toString(), "--config", site.config().toString(), "--key-file",
                    dir.resolve("no-such.key").toString(), "--json");
            assertThat(noKey.exit()).isEqualTo(2);
            assertThat(noKey.out()).contains("\"refused\":\"Nothing imported: The key file ", "does not exist.");
        }
    }
}
