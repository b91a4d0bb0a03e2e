package se.lu.lunarc.otp.server.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.aaa4j.radius.core.packet.Packet;
import org.aaa4j.radius.core.packet.packets.AccessChallenge;
import org.aaa4j.radius.core.packet.packets.AccessReject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.app.ErrorMessages;
import se.lu.lunarc.otp.app.Texts;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.client.HumanCheckSolver;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.testing.Contract;
import se.lu.lunarc.otp.testing.LoopbackProxy;
import se.lu.lunarc.otp.testing.RawRadiusClient;
import se.lu.lunarc.otp.testing.Slapd;
import se.lu.lunarc.otp.testing.TestRadius;
import se.lu.lunarc.otp.testing.TestServer;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The site's accounts from a real OpenLDAP slapd, started by the test on 127.0.0.1 and stopped afterwards,
 * through the real backend and the real client: sign-in by binding as the user, the SMS to the directory's
 * number in E.164, one answer for every refusal, escaping, a directory that goes away, TLS, and RADIUS.
 */
class LdapDirectoryTest {
    static final Slapd.Person CAROL = new Slapd.Person("carol", "carol-pw", "070-174 06 02", true);
    static final Slapd.Person ERIN = new Slapd.Person("erin", "erin-pw", "+46 70 174 06 03", false);
    static final Slapd.Person FRANK = new Slapd.Person("frank", "frank-pw", null, true);
    static final Slapd.Person GINA = new Slapd.Person("gina", "gina-pw", "12345", true);

    @TempDir
    Path dir;
    Slapd slapd;
    TestServer server;
    /** In front of the server: the answers the clients got, held against the contract after each test. */
    LoopbackProxy proxy;

    @BeforeEach
    void start() throws Exception {
        slapd = Slapd.start(dir.resolve("slapd"));
        slapd.add(CAROL, ERIN, FRANK, GINA);
    }

    @AfterEach
    void stop() throws Exception {
        List<String> undeclared = proxy == null ? List.of() : Contract.undeclared(proxy.answers());
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
        slapd.close();
        assertThat(undeclared).as("statuses the spec does not declare for their operation").isEmpty();
    }

    LdapConfig ldap(String url, boolean startTls, Path ca) throws Exception {
        Path bindPassword = dir.resolve("bind-password");
        Files.writeString(bindPassword, Slapd.SERVICE_PASSWORD + "\n");
        return new LdapConfig(List.of(url), startTls, ca, Slapd.SERVICE_DN, bindPassword, Slapd.BASE, null,
                "(memberOf=" + Slapd.GROUP + ")", null, 2, 4);
    }

    TestServer serverOn(LdapConfig ldap) throws Exception {
        TestServer started = TestServer.start(dir.resolve("server"),
                c -> c.withUsers(new ServerConfig.Users("ldap", null, ldap, "SE"))
                        .withMetrics(new se.lu.lunarc.otp.server.metrics.MetricsConfig("127.0.0.1:0"))
                        .withNotifications(new se.lu.lunarc.otp.server.notify.NotifyConfig("en", null, null, null),
                                null));
        proxy = new LoopbackProxy(started.server().baseUri());
        return started.behind(proxy);
    }

    static ApiException signInFails(EnrollmentClient c, String user, String password) {
        return catchThrowableOfType(ApiException.class,
                () -> c.login(user, password.toCharArray(), HumanCheckSolver.solve(c.humanCheck())));
    }

    List<JsonNode> audit(String event) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("server/audit.jsonl"))) {
            JsonNode n = json.readTree(line);
            if (n.get("event").asText().equals(event)) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    void anLdapUserSignsInAndEnrollsWithTheSmsAtTheDirectorysNumberInE164() throws Exception {
        server = serverOn(ldap(slapd.url(), false, null));
        EnrollmentClient c = server.client();
        var started = c.login("carol", "carol-pw".toCharArray(), HumanCheckSolver.solve(c.humanCheck()));
        assertThat(started.sms().maskedPhone()).isEqualTo("+46 70*** **02");
        String outbox = Files.readString(server.config.sms().file());
        assertThat(outbox).contains("\"to\":\"+46701740602\"");
        c.submitCode(started.loginId(), server.lastSmsCode("carol"));
        var me = c.me();
        assertThat(me.username()).isEqualTo("carol");
        assertThat(me.displayName()).isEqualTo("Person carol");
        assertThat(me.email()).isEqualTo("carol@example.org");
        assertThat(me.affiliation()).isEqualTo("Lund University");
        var created = c.createToken("Phone");
        c.activate(created.token().id(), server.codeNow(created));
        assertThat(c.tokens()).extracting(t -> t.status()).containsExactly("active");
        // told of it in the language the directory gives (preferredLanguage sv-SE), not the site's English
        for (int i = 0; i < 50 && !Files.readString(server.config.sms().file()).contains("registrerades"); i++) {
            Thread.sleep(100);
        }
        assertThat(Files.readString(server.config.sms().file()))
                .contains("LUNARC: en autentiserare registrerades på ditt konto av dig (från 127.0.0.1)");
        // the directory was asked, not a copy: the service account cannot even read a password
        assertThat(server.backend().users().find("carol").orElseThrow().passwordHash()).isNull();
        assertThat(Files.readString(dir.resolve("server/audit.jsonl"))).doesNotContain("carol-pw")
                .doesNotContain(Slapd.SERVICE_PASSWORD);
    }

    @Test
    void wrongPasswordUnknownUserAndOutsideTheGroupGetOneAnswerAndTheAuditSaysWhich() throws Exception {
        server = serverOn(ldap(slapd.url(), false, null));
        EnrollmentClient c = server.client();
        List<ApiException> refusals = new ArrayList<>();
        String[][] tries = {{"carol", "not-her-password"}, {"nobody", "whatever-pw"}, {"erin", "erin-pw"}};
        for (String[] t : tries) {
            refusals.add(signInFails(c, t[0], t[1]));
        }
        for (ApiException e : refusals) {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
            assertThat(e.detail()).isEqualTo(refusals.get(0).detail());
        }
        assertThat(audit("login_failed")).extracting(n -> n.get("user").asText() + ":" + n.get("detail").asText())
                .contains("carol:wrong_password", "nobody:unknown_user", "erin:not_allowed");

        // timings are shown, not asserted: the directory's part of each kind of refusal, alternated, 101 rounds
        try (LdapUserDirectory directory = new LdapUserDirectory(ldap(slapd.url(), false, null), new MobileNumbers("SE"))) {
            long[][] nanos = new long[3][101];
            for (int round = 0; round < 101; round++) {
                for (int k = 0; k < 3; k++) {
                    long t0 = System.nanoTime();
                    assertThat(directory.authenticate(tries[k][0], tries[k][1].toCharArray()).user()).isNull();
                    nanos[k][round] = System.nanoTime() - t0;
                }
            }
            for (int k = 0; k < 3; k++) {
                Arrays.sort(nanos[k]);
                System.out.printf("LDAP refusal %-7s median %.2f ms, p90 %.2f ms%n", tries[k][0], nanos[k][50] / 1e6,
                        nanos[k][90] / 1e6);
            }
        }
    }

    @Test
    void aUserWithoutAUsableMobileNumberIsToldToContactSupport() throws Exception {
        server = serverOn(ldap(slapd.url(), false, null));
        EnrollmentClient c = server.client();
        for (String user : List.of("frank", "gina")) {
            ApiException e = signInFails(c, user, user + "-pw");
            assertThat(e.status()).as(user).isEqualTo(409);
            assertThat(e.code()).isEqualTo(ErrorCode.NO_MOBILE_NUMBER);
            assertThat(ErrorMessages.text(Texts.bundle(Locale.ENGLISH), e))
                    .isEqualTo("No mobile number is registered for your account, so no code can be sent; contact support.");
        }
        assertThat(Files.exists(server.config.sms().file()) ? Files.readString(server.config.sms().file()) : "")
                .as("no SMS to nowhere").isEmpty();
        // the wrong password of such a user is refused like any other: the missing number is told only after it
        ApiException wrong = signInFails(c, "frank", "guess");
        assertThat(wrong.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
    }

    @Test
    void filterInjectionInTheUsernameMatchesNobodyAndBreaksNothing() throws Exception {
        MobileNumbers numbers = new MobileNumbers("SE");
        try (LdapUserDirectory directory = new LdapUserDirectory(ldap(slapd.url(), false, null), numbers)) {
            for (String evil : List.of("*", "carol*", ")(uid=*", "*)(|(uid=*", "carol)(uid=*", "\\00", "carol\u0000",
                    "c".repeat(5000))) {
                assertThat(directory.find(evil)).as(evil).isEmpty();
                assertThat(directory.authenticate(evil, "carol-pw".toCharArray()).refusal()).as(evil)
                        .isEqualTo(UserDirectory.Authentication.UNKNOWN_USER);
            }
            assertThat(directory.authenticate("carol", "carol-pw".toCharArray()).user()).isNotNull();
            // an empty password is refused before any bind: LDAP would take it as an unauthenticated bind
            assertThat(directory.authenticate("carol", new char[0]).user()).isNull();
        }
        server = serverOn(ldap(slapd.url(), false, null));
        ApiException e = signInFails(server.client(), "*", "carol-pw");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
    }

    @Test
    void aDirectoryThatStopsAnswersDirectoryUnavailableAndTheFlowWorksAgainAfterItsRestart() throws Exception {
        server = serverOn(ldap(slapd.url(), false, null));
        EnrollmentClient c = server.client();
        var started = c.login("carol", "carol-pw".toCharArray(), HumanCheckSolver.solve(c.humanCheck()));
        c.submitCode(started.loginId(), server.lastSmsCode("carol"));
        slapd.stop();

        ApiException me = catchThrowableOfType(ApiException.class, c::me);
        assertThat(me.status()).isEqualTo(503);
        assertThat(me.code()).isEqualTo(ErrorCode.DIRECTORY_UNAVAILABLE);
        assertThat(me.retryAfterSeconds()).isPositive();
        assertThat(ErrorMessages.text(Texts.bundle(Locale.ENGLISH), me))
                .isEqualTo("The account directory is not answering; try again in a minute.");
        assertThat(ErrorMessages.retryable(me)).as("the wizard offers Retry").isTrue();
        ApiException login = signInFails(server.client(), "carol", "carol-pw");
        assertThat(login.code()).isEqualTo(ErrorCode.DIRECTORY_UNAVAILABLE);
        se.lu.lunarc.otp.testing.Scrape down = new se.lu.lunarc.otp.testing.Scrape(server.backend().metrics().scrape());
        assertThat(down.value("lunarc_otp_directory_errors_total")).as("each call the directory did not answer")
                .isGreaterThanOrEqualTo(2);
        assertThat(down.value("lunarc_otp_ready")).as("the node itself can serve: its store answers").isEqualTo(1);

        slapd.start();
        assertThat(c.me().username()).as("the same session, once the directory is back").isEqualTo("carol");
        EnrollmentClient again = server.client();
        var second = again.login("carol", "carol-pw".toCharArray(), HumanCheckSolver.solve(again.humanCheck()));
        assertThat(second.loginId()).isNotBlank();
    }

    @Test
    void theNextUrlTakesOverWhenTheFirstDirectoryServerIsDown() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort(); // nothing listens here once the socket is closed
        }
        LdapConfig one = ldap(slapd.url(), false, null);
        LdapConfig both = new LdapConfig(List.of("ldap://127.0.0.1:" + closed, slapd.url()), false, null,
                one.bindDn(), one.bindPasswordFile(), one.baseDn(), null, one.allowedFilter(), null, 2, 2);
        try (LdapUserDirectory directory = new LdapUserDirectory(both, new MobileNumbers("SE"))) {
            assertThat(directory.authenticate("carol", "carol-pw".toCharArray()).user()).isNotNull();
            assertThat(directory.find("carol")).isPresent();
        }
    }

    @Test
    void radiusChecksThePasswordAgainstTheDirectoryAndSaysNothingWhenItIsDown() throws Exception {
        server = serverOn(ldap(slapd.url(), false, null));
        try (TestRadius radius = TestRadius.start(server, ServerConfig.RadiusClient.CHALLENGE, "reject", false);
             RawRadiusClient nas = new RawRadiusClient(InetAddress.getLoopbackAddress(), radius.port, radius.secret,
                     1500)) {
            server.enrolled("carol", "Phone");
            Packet right = nas.send(nas.accessRequest("carol", "carol-pw", null, true));
            assertThat(right).as("the password round passed: now the code").isInstanceOf(AccessChallenge.class);
            Packet wrong = nas.send(nas.accessRequest("carol", "not-her-password", null, true));
            assertThat(wrong).isInstanceOf(AccessReject.class);
            Packet outside = nas.send(nas.accessRequest("erin", "erin-pw", null, true));
            assertThat(outside).isInstanceOf(AccessReject.class);

            slapd.stop();
            RawRadiusClient.Encoded down = nas.accessRequest("carol", "carol-pw", null, true);
            assertThat(nas.answered(down.bytes())).as("no answer, so that the NAS fails over").isFalse();
            assertThat(audit("radius_dropped")).extracting(n -> n.get("detail").asText())
                    .contains("directory_unavailable");
        }
    }

    @Test
    void aServiceAccountTheDirectoryRefusesStopsTheStartAndSaysWhy() throws Exception {
        LdapConfig right = ldap(slapd.url(), false, null);
        Files.writeString(right.bindPasswordFile(), "not-the-service-password\n");
        assertThatThrownBy(() -> new LdapUserDirectory(right, new MobileNumbers("SE")).close())
                .hasMessageContaining("the account directory refused the service account's bind")
                .hasMessageContaining(Slapd.SERVICE_DN).hasMessageContaining(right.bindPasswordFile().toString())
                .hasMessageContaining("the server did not start")
                .hasMessageNotContaining("not-the-service-password");
        // a trailing newline is not part of the password: the right one with it starts
        Files.writeString(right.bindPasswordFile(), Slapd.SERVICE_PASSWORD + "\n");
        new LdapUserDirectory(right, new MobileNumbers("SE")).close();

        Files.delete(right.bindPasswordFile());
        assertThatThrownBy(() -> new LdapUserDirectory(right, new MobileNumbers("SE")).close())
                .hasMessage("users.ldap.bindPasswordFile: the file " + right.bindPasswordFile()
                        + " does not exist; nothing was done");
    }

    @Test
    void aFrozenDirectoryIsToldWithinTheConfiguredTimeout() throws Exception {
        LdapConfig ldap = ldap(slapd.url(), false, null); // timeoutSeconds: 2
        server = serverOn(ldap);
        server.enrolled("carol", "Phone");
        slapd.freeze();
        try {
            // a client that gives up after 4 s: the server's answer must come first, saying what is wrong
            EnrollmentClient impatient = new EnrollmentClient(se.lu.lunarc.otp.client.ClientOptions.of(
                    server.server().baseUri()).withTimeouts(java.time.Duration.ofSeconds(2),
                    java.time.Duration.ofSeconds(4)).withEnvironment(java.util.Map.of()));
            ApiException e = signInFails(impatient, "carol", "carol-pw");
            assertThat(e.code()).as(String.valueOf(e.kind())).isEqualTo(ErrorCode.DIRECTORY_UNAVAILABLE);
        } finally {
            slapd.thaw();
        }
        assertThat(server.signedIn("carol").me().username()).as("and once it answers again").isEqualTo("carol");
    }

    @Test
    void aNameTypedInAnyCaseIsTheAccountTheDirectoryNames() throws Exception {
        server = serverOn(ldap(slapd.url(), false, null));
        // uid matches without case in LDAP; the account is carol, as her entry spells it, at every door
        EnrollmentClient shouting = server.client();
        var started = shouting.login("CAROL", "carol-pw".toCharArray(), HumanCheckSolver.solve(shouting.humanCheck()));
        shouting.submitCode(started.loginId(), server.lastSmsCode("carol"));
        assertThat(shouting.me().username()).isEqualTo("carol");
        var phone = shouting.createToken("Phone");
        shouting.activate(phone.token().id(), server.codeNow(phone));
        server.clock.advance(java.time.Duration.ofSeconds(30));
        assertThat(server.client().validate(server.serviceKey(), "carol", server.codeNow(phone)).accepted()).isTrue();
        server.clock.advance(java.time.Duration.ofSeconds(30));
        try (TestRadius radius = TestRadius.start(server, ServerConfig.RadiusClient.CHALLENGE, "sms", false);
             RawRadiusClient nas = new RawRadiusClient(InetAddress.getLoopbackAddress(), radius.port, radius.secret,
                     1500)) {
            Packet first = nas.send(nas.accessRequest("Carol", "carol-pw", null, true));
            assertThat(first).as("her app's code is asked, not an SMS").isInstanceOf(AccessChallenge.class);
            byte[] state = first.getAttribute(org.aaa4j.radius.core.attribute.attributes.State.class).orElseThrow()
                    .getData().getValue();
            assertThat(nas.send(nas.accessRequest("Carol", server.codeNow(phone), state, true)))
                    .isInstanceOf(org.aaa4j.radius.core.packet.packets.AccessAccept.class);
        }
        assertThat(audit("validate_accept")).extracting(n -> n.get("user").asText()).containsOnly("carol");
        assertThat(audit("radius_accept")).extracting(n -> n.get("user").asText()).containsOnly("carol");
    }

    @Test
    void aNasRetransmissionAfterADirectoryHiccupIsWorkedNotDroppedAsInProgress() throws Exception {
        server = serverOn(ldap(slapd.url(), false, null));
        try (TestRadius radius = TestRadius.start(server, ServerConfig.RadiusClient.CHALLENGE, "reject", false);
             RawRadiusClient nas = new RawRadiusClient(InetAddress.getLoopbackAddress(), radius.port, radius.secret,
                     1500)) {
            server.enrolled("carol", "Phone");
            slapd.stop();
            RawRadiusClient.Encoded login = nas.accessRequest("carol", "carol-pw", null, true);
            assertThat(nas.answered(login.bytes())).as("the directory is down: no answer").isFalse();
            slapd.start();
            // the NAS sends the very same packet again (same identifier and authenticator), within seconds
            Packet retried = nas.exchange(login.bytes(), login.authenticator());
            assertThat(retried).as("the retransmission is worked, now that the directory answers")
                    .isInstanceOf(AccessChallenge.class);
        }
    }

    /** A CA and a certificate for 127.0.0.1 that it signed, made with openssl in {@code folder}. */
    static Slapd.Tls makeCertificates(Path folder, String caName) throws Exception {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        for (String command : List.of(
                "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=" + caName,
                "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1",
                "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 "
                        + "-extfile ext.cnf")) {
            Process p = new ProcessBuilder(command.split(" ")).directory(folder.toFile()).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(command + "\n" + out).isZero();
        }
        // slapd reads its key as whichever user it runs as
        folder.resolve("server.key").toFile().setReadable(true, false);
        return new Slapd.Tls(folder.resolve("ca.pem"), folder.resolve("server.pem"), folder.resolve("server.key"));
    }

    @Test
    void startTlsAndLdapsWithTheSitesCaAndAnUntrustedCertificateRefused() throws Exception {
        slapd.close();
        Slapd.Tls tls = makeCertificates(dir.resolve("tls"), "Test-LDAP-CA");
        Slapd.Tls stranger = makeCertificates(dir.resolve("other"), "Some-Other-CA");
        slapd = Slapd.start(dir.resolve("slapd-tls"), tls);
        slapd.add(CAROL);

        for (LdapConfig trusted : List.of(ldap(slapd.url(), true, tls.ca()),
                ldap("ldaps://127.0.0.1:" + slapd.ldapsPort, false, tls.ca()))) {
            try (LdapUserDirectory directory = new LdapUserDirectory(trusted, new MobileNumbers("SE"))) {
                assertThat(directory.authenticate("carol", "carol-pw".toCharArray()).user()).as(trusted.url().toString())
                        .isNotNull();
            }
        }
        for (LdapConfig untrusted : List.of(ldap(slapd.url(), true, stranger.ca()),
                ldap("ldaps://127.0.0.1:" + slapd.ldapsPort, false, stranger.ca()))) {
            try (LdapUserDirectory directory = new LdapUserDirectory(untrusted, new MobileNumbers("SE"))) {
                DirectoryUnavailable refused = catchThrowableOfType(DirectoryUnavailable.class,
                        () -> directory.authenticate("carol", "carol-pw".toCharArray()));
                assertThat(refused).as("a certificate from another CA: " + untrusted.url()).isNotNull();
            }
        }
        // plain ldap:// off loopback would carry passwords in the clear: refused at start
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> new LdapUserDirectory(ldap("ldap://ldap.example.org", false, null), new MobileNumbers("SE"))))
                .hasMessageContaining("ldaps://");
    }
}
