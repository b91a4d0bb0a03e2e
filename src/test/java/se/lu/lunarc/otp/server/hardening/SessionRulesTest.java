package se.lu.lunarc.otp.server.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.server.secrets.Secrets;
import se.lu.lunarc.otp.testing.TestServer;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The session and code rules of ASVS V3 and V2.7 that no other test shows on its own. */
class SessionRulesTest {
    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static String token(EnrollmentClient c) throws Exception {
        var f = EnrollmentClient.class.getDeclaredField("sessionToken");
        f.setAccessible(true);
        return (String) f.get(c);
    }

    @Test
    void theSessionTokenIsNeverInAnAddress() throws Exception {
        JsonNode spec;
        try (InputStream in = getClass().getResourceAsStream("/se/lu/lunarc/otp/api/openapi.yaml")) {
            spec = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        // the only way in is the Authorization header; no operation takes a token in its path or query
        assertThat(spec.at("/components/securitySchemes/session/scheme").asText()).isEqualTo("bearer");
        assertThat(spec.toString()).doesNotContain("\"in\":\"query\"");
        assertThat(spec.get("paths").toString().toLowerCase()).doesNotContain("{token}", "{session");
    }

    @Test
    void eachSignInGetsANewTokenOf256RandomBits() throws Exception {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String t = token(server.signedIn("alice"));
            assertThat(Base64.getUrlDecoder().decode(t)).hasSize(32);
            tokens.add(t);
        }
        assertThat(tokens).hasSize(3);
    }

    @Test
    void logoutAndExpiryEndTheSessionForGood() throws Exception {
        EnrollmentClient c = server.signedIn("alice");
        String token = token(c);
        c.logout();
        var f = EnrollmentClient.class.getDeclaredField("sessionToken");
        f.setAccessible(true);
        f.set(c, token); // a client that kept the old token, as a back button would
        assertThat(catchThrowableOfType(ApiException.class, c::me).code()).isEqualTo("session_expired");
    }

    @Test
    void smsCodesAreSixDigitsFromASecureRandomSource() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String code = Secrets.digits(6);
            assertThat(code).matches("\\d{6}");
            seen.add(code);
        }
        // 20,000 draws from 10^6 values: about 200 repeats are expected, thousands would mean a weak source
        assertThat(seen.size()).isGreaterThan(19_500);
    }
}
