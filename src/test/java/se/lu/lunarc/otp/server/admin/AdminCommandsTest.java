package se.lu.lunarc.otp.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.testing.CliRun;
import se.lu.lunarc.otp.testing.Postgres;
import se.lu.lunarc.otp.testing.PostgresPerClass;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The helpdesk's commands against a running server's real store (SQLite, and a real PostgreSQL), as in docs/hardware-and-helpdesk.md's
 * "lost phone" walk-through: find the user's tokens, revoke the lost one, lift the lockout that wrong codes caused.
 */
class AdminCommandsTest {
    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    @TempDir
    Path dir;



    private static CliRun run(String... args) {
        return CliRun.of(List.of("server", "admin"), args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void lostPhone(String type) throws Exception {
        Path data = dir.resolve("data");
        String storeYaml = "";
        ServerConfig.Store store = new ServerConfig.Store("sqlite", null, null, null, 0);
        if (type.equals("postgresql")) {
            String url = postgres.newDatabase();
            Path password = dir.resolve("store-password");
            Files.writeString(password, Postgres.PASSWORD + "\n");
            storeYaml = "store: {type: postgresql, url: \"" + url + "\", user: " + Postgres.USER + ", passwordFile: "
                    + password + "}\n";
            store = new ServerConfig.Store("postgresql", url, Postgres.USER, password, 2);
        }
        ServerConfig.Store chosen = store;
        Path config = dir.resolve("server.yaml");
        Files.writeString(config, "listen: 127.0.0.1:0\ndataDir: data\nusers: {file: users.yaml}\n" + storeYaml);
        try (TestServer server = TestServer.start(data, c -> c.withStore(chosen))) {
            CreatedToken phone = server.enrolled("alice", "Phone");
            CreatedToken fob = server.enrolled("alice", "Key fob");
            String key = server.serviceKey();
            // someone with the phone tries codes from the user's usual station until it must wait
            String wrong = server.codeAt(phone, 9);
            String reason = null;
            for (int i = 0; i < 7; i++) {
                reason = server.client().validate(key, "alice", wrong, "10.1.1.1").reason();
            }
            assertThat(reason).isEqualTo("throttled");

            CliRun list = run("tokens", "list", "alice", "--config", config.toString(), "--json");
            assertThat(list.exit()).as(list.err()).isZero();
            JsonNode tokens = new ObjectMapper().readTree(list.out());
            assertThat(tokens).hasSize(2);
            assertThat(tokens.get(0).get("name").asText()).isEqualTo("Phone");
            assertThat(tokens.get(0).get("status").asText()).isEqualTo("active");
            assertThat(tokens.get(0).get("id").asText()).isEqualTo(phone.token().id());
            assertThat(list.out()).doesNotContain("secret");
            CliRun listText = run("tokens", "list", "alice", "--config", config.toString());
            assertThat(listText.out()).contains(phone.token().id() + "  active    Phone", "Key fob");

            CliRun revoke = run("tokens", "revoke", phone.token().id(), "--config", config.toString(), "--json");
            assertThat(revoke.exit()).as(revoke.err()).isZero();
            assertThat(new ObjectMapper().readTree(revoke.out()).get("revoked").asBoolean()).isTrue();
            CliRun unknown = run("tokens", "revoke", "no-such-token", "--config", config.toString());
            assertThat(unknown.exit()).isEqualTo(1);
            assertThat(unknown.err()).contains("No token with the id no-such-token");

            assertThat(server.client().validate(key, "alice", server.codeNow(fob), "10.1.1.1").reason())
                    .as("even the right code waits at that station").isEqualTo("throttled");
            CliRun unlock = run("unlock", "alice", "--config", config.toString());
            assertThat(unlock.exit()).as(unlock.err()).isZero();
            assertThat(unlock.out()).contains("Cleared alice's code failures at 1 station(s)");

            // the same moment: without the unlock the station would still wait
            assertThat(server.client().validate(key, "alice", server.codeNow(phone), "10.1.1.1").accepted())
                    .as("the revoked phone's code").isFalse();
            assertThat(server.client().validate(key, "alice", server.codeNow(fob), "10.1.1.1").accepted())
                    .as("the key fob, at the station that had to wait").isTrue();

            String audit = Files.readString(server.dir.resolve("audit.jsonl"));
            String by = "by=" + System.getProperty("user.name");
            assertThat(audit).contains("\"event\":\"admin_tokens_listed\"", "\"event\":\"token_revoked\"",
                    "\"event\":\"admin_unlocked\"", by + " (helpdesk)", "stations=1");
        }
    }
}
