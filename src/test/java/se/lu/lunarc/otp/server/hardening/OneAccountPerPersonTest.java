package se.lu.lunarc.otp.server.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.ApiJson;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.client.HumanCheckSolver;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.radius.RadClient;
import se.lu.lunarc.otp.server.users.FileUserDirectory;
import se.lu.lunarc.otp.server.users.MobileNumbers;
import se.lu.lunarc.otp.server.users.PasswordHasher;
import se.lu.lunarc.otp.server.users.User;
import se.lu.lunarc.otp.testing.CliRun;
import se.lu.lunarc.otp.testing.TestRadius;
import se.lu.lunarc.otp.testing.TestServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Issue 20 §1: one person is one account, whatever they type. The server checks a name exactly as it arrives
 * (never trimmed or cleaned), and an account is named as the directory names it, so that every spelling of it
 * shares its tokens, sessions and limits at every door: sign-in, /validate, RADIUS and the helpdesk's commands.
 */
class OneAccountPerPersonTest {
    @TempDir
    Path dir;

    @Test
    void aUsernameIsCheckedExactlyAsItArrivesNeverTrimmed() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            server.signedIn("alice"); // one SMS in the outbox
            long smsBefore = Files.readAllLines(server.config.sms().file()).size();
            for (String name : List.of("alice\u0000", " alice", "alice\t", "alice\n", "\u0000alice", "alice\u0001",
                    "alice\u001f", "alice\u00a0", "alice ")) {
                HttpResponse<String> answer = login(server, name, "alice-pw");
                assertThat(answer.statusCode()).as("%s", name.codePoints().boxed().toList()).isEqualTo(401);
                assertThat(new ObjectMapper().readTree(answer.body()).get("code").asText())
                        .isEqualTo("invalid_credentials");
            }
            assertThat(Files.readAllLines(server.config.sms().file())).as("no SMS sent").hasSize((int) smsBefore);
            assertThat(login(server, "alice", "alice-pw").statusCode()).as("the name itself").isEqualTo(202);
        }
    }

    /** The request as any client could send it: the name goes out exactly as given. */
    private static HttpResponse<String> login(TestServer server, String name, String password) throws Exception {
        var challenge = server.client().humanCheck();
        String body = ApiJson.newMapper().writeValueAsString(Map.of("username", name, "password", password,
                "humanProof", HumanCheckSolver.solve(challenge)));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void upperAndLowerCaseAreOneAccountAtEveryDoor() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            // signed in as ALICE: it is alice's account, her name as the directory writes it
            EnrollmentClient shouting = server.signedIn("ALICE");
            assertThat(shouting.me().username()).isEqualTo("alice");
            CreatedToken phone = shouting.createToken("Phone");
            shouting.activate(phone.token().id(), server.codeNow(phone));
            server.clock.advance(Duration.ofSeconds(30));
            assertThat(server.signedIn("alice").tokens()).extracting(t -> t.name()).containsExactly("Phone");
            assertThat(server.signedIn("Alice").tokens()).extracting(t -> t.name()).containsExactly("Phone");

            // /validate under any spelling checks her one token, and audits her one name
            String key = server.serviceKey();
            assertThat(server.client().validate(key, "alice", server.codeNow(phone)).accepted()).isTrue();
            server.clock.advance(Duration.ofSeconds(30));
            assertThat(server.client().validate(key, "ALICE", server.codeNow(phone)).accepted()).isTrue();
            assertThat(Files.readString(server.backend().audit().file())).doesNotContain("\"user\":\"ALICE\"");

            // one token cap, not one per spelling
            EnrollmentClient alice = server.signedIn("alice");
            for (int i = 2; i <= 5; i++) {
                alice.createToken("Device " + i);
            }
            ApiException capped = catchThrowableOfType(ApiException.class,
                    () -> server.signedIn("aLiCe").createToken("One more"));
            assertThat(capped.code()).isEqualTo("token_limit");
        }
    }

    @Test
    void overRadiusAnotherSpellingIsNoDowngradeFromTheAppToSms() throws Exception {
        try (TestServer server = TestServer.start(dir);
             TestRadius radius = TestRadius.start(server, ServerConfig.RadiusClient.CHALLENGE,
                     ServerConfig.Radius.SMS, false)) {
            CreatedToken phone = server.enrolled("alice", "Phone");
            RadClient first = RadClient.send(radius.port, radius.secret, "User-Name = ALICE", "User-Password = alice-pw");
            assertThat(first.received()).isEqualTo("Access-Challenge");
            assertThat(first.attribute("Reply-Message")).as("her app's code, not an SMS")
                    .isEqualTo("\"Please enter your onetime password: \"");
            RadClient second = RadClient.send(radius.port, radius.secret, "User-Name = ALICE",
                    "User-Password = " + server.codeNow(phone), "State = " + first.attribute("State"));
            assertThat(second.received()).isEqualTo("Access-Accept");
            // the State belongs to the name the first round was asked under
            RadClient again = RadClient.send(radius.port, radius.secret, "User-Name = ALICE", "User-Password = alice-pw");
            RadClient otherName = RadClient.send(radius.port, radius.secret, "User-Name = alice",
                    "User-Password = " + server.codeAt(phone, 1), "State = " + again.attribute("State"));
            assertThat(otherName.received()).isEqualTo("Access-Reject");
            assertThat(Files.readString(server.backend().audit().file()))
                    .contains("\"event\":\"radius_accept\",\"user\":\"alice\"").doesNotContain("\"user\":\"ALICE\"");
        }
    }

    @Test
    void theUsersFileRefusesTwoEntriesThatDifferOnlyInCaseUnlessItIsCaseSensitive() {
        PasswordHasher hasher = new PasswordHasher();
        List<User> both = List.of(new User("alice", null, null, null, null, hasher.hash("a".toCharArray())),
                new User("Alice", null, null, null, null, hasher.hash("b".toCharArray())));
        assertThatThrownBy(() -> new FileUserDirectory(both, hasher, new MobileNumbers("SE"), false))
                .hasMessageContaining("\"alice\" and \"Alice\"")
                .hasMessageContaining("differ only in case")
                .hasMessageContaining("users.caseSensitive: true");
        FileUserDirectory twoPeople = new FileUserDirectory(both, hasher, new MobileNumbers("SE"), true);
        assertThat(twoPeople.authenticate("Alice", "b".toCharArray()).user().username()).isEqualTo("Alice");
        assertThat(twoPeople.authenticate("ALICE", "b".toCharArray()).user()).isNull();
    }

    @Test
    void theHelpdeskFindsAndJoinsTokensAnOlderVersionKeptUnderAnotherSpelling() throws Exception {
        Path data = dir.resolve("data");
        Path config = dir.resolve("server.yaml");
        PasswordHasher hasher = new PasswordHasher();
        Files.writeString(dir.resolve("users.yaml"), "users:\n  - {username: alice, mobile: \"+46701740601\", "
                + "passwordHash: \"" + hasher.hash("alice-pw".toCharArray()) + "\"}\n");
        Files.writeString(config, "listen: 127.0.0.1:0\ndataDir: data\nusers: {file: users.yaml}\n");
        try (TestServer server = TestServer.start(data)) {
            CreatedToken phone = server.enrolled("alice", "Phone");
            CreatedToken tablet = server.enrolled("alice", "Tablet");
            CreatedToken old = server.enrolled("alice", "Phone 2");
            // what a version before one identity per account left: ALICE enrolled a "Phone" of her own
            try (var db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("lunarc-otp.db"))) {
                var p = db.prepareStatement("UPDATE tokens SET username = 'ALICE', name = 'Phone' WHERE id = ?");
                p.setString(1, old.token().id());
                p.executeUpdate();
            }
            CliRun listed = CliRun.of(List.of("server", "admin"), "tokens", "list", "alice", "--config",
                    config.toString());
            assertThat(listed.out()).contains(phone.token().id(), tablet.token().id(), old.token().id(),
                    "[kept under ALICE: see admin identities]", "app (totp, 6 digits)");

            CliRun report = CliRun.of(List.of("server", "admin"), "identities", "list", "--config", config.toString());
            assertThat(report.exit()).as(report.err()).isZero();
            assertThat(report.out()).contains("ALICE (1 token), alice (2 tokens): the directory's name is alice.",
                    "admin identities merge ALICE --into alice");

            CliRun wrongWay = CliRun.of(List.of("server", "admin"), "identities", "merge", "alice", "--into", "ALICE",
                    "--config", config.toString());
            assertThat(wrongWay.exit()).isEqualTo(1);
            assertThat(wrongWay.err()).contains("the directory names this account alice; join the other spelling into it: "
                    + "admin identities merge ALICE --into alice.");

            CliRun merged = CliRun.of(List.of("server", "admin"), "identities", "merge", "ALICE", "--into", "alice",
                    "--config", config.toString(), "--json");
            assertThat(merged.exit()).as(merged.err()).isZero();
            JsonNode outcome = new ObjectMapper().readTree(merged.out());
            assertThat(outcome.get("tokensMoved").asInt()).isEqualTo(1);
            assertThat(server.signedIn("alice").tokens()).extracting(t -> t.name())
                    .containsExactlyInAnyOrder("Phone", "Tablet", "Phone (ALICE)");
            assertThat(server.client().validate(server.serviceKey(), "alice", server.codeNow(old)).accepted())
                    .as("the joined token logs alice in").isTrue();
            assertThat(Files.readString(data.resolve("audit.jsonl"))).contains("\"event\":\"admin_identity_merged\"",
                    "from=ALICE tokens=1");
            assertThat(CliRun.of(List.of("server", "admin"), "identities", "list", "--config", config.toString()).out())
                    .contains("No name holds tokens under more than one spelling.");
        }
    }
}
