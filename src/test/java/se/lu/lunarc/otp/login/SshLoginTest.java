package se.lu.lunarc.otp.login;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.testing.TestRadius;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;
import static se.lu.lunarc.otp.login.SshClient.Step.type;

/**
 * The whole loop, as a LUNARC user meets it: a token enrolled through the client logs the user in to a real
 * sshd, through PAM and pam_radius_auth, to the backend's RADIUS service, at the prompts
 * {@code Password:} and {@code Please enter your onetime password:}.
 */
class SshLoginTest {
    static final String ENROLLED = "lotp-enrolled";
    static final String NEWCOMER = "lotp-newcomer";
    static final String PASSWORD_PROMPT = "Password: ?$";
    static final String CODE_PROMPT = "Please enter your onetime password: ?$";

    @TempDir
    Path dir;
    TestServer server;
    LocalUsers localUsers;
    final List<AutoCloseable> running = new ArrayList<>();

    @BeforeAll
    static void canRunHere() {
        boolean linux = System.getProperty("os.name").toLowerCase().contains("linux");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!linux || !root) {
            String why = "SshLoginTest NOT RUN: it starts sshd with its own PAM service and creates Unix users, "
                    + "which needs root on Linux (this is " + System.getProperty("os.name") + " as "
                    + System.getProperty("user.name") + "). CI runs it.";
            System.err.println("\n" + "!".repeat(why.length()) + "\n" + why + "\n" + "!".repeat(why.length()));
            assumeThat(linux && root).as(why).isTrue();
        }
        for (Path p : List.of(Path.of("/usr/sbin/sshd"), Path.of("/usr/bin/ssh"), Path.of("/usr/bin/expect"))) {
            if (!Files.isExecutable(p)) {
                fail(p + " is missing: apt-get install openssh-server openssh-client expect libpam-radius-auth");
            }
        }
        if (!Files.exists(Path.of("/lib/x86_64-linux-gnu/security/pam_radius_auth.so"))
                && !Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/security/pam_radius_auth.so"))
                && !Files.exists(Path.of("/lib64/security/pam_radius_auth.so"))) {
            fail("pam_radius_auth.so is missing: apt-get install libpam-radius-auth");
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = TestServer.startWithUsers(dir, ENROLLED, NEWCOMER);
        localUsers = new LocalUsers();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : running) {
            c.close();
        }
        localUsers.close();
        server.close();
    }

    /** RADIUS in {@code mode}, and an sshd whose PAM stack is {@code pamAuth} plus pam_radius_auth's line. */
    private Sshd sshdWithRadius(String mode, String withoutToken, List<String> pamAuthBefore, String radiusOptions)
            throws Exception {
        TestRadius radius = TestRadius.start(server, mode, withoutToken, false);
        running.add(radius);
        Path conf = dir.resolve("pam_radius_auth-" + radius.port + ".conf");
        Sshd.writePrivate(conf, "127.0.0.1:" + radius.port + " " + radius.secret + " 5\n");
        List<String> pam = new ArrayList<>(pamAuthBefore);
        pam.add("auth required pam_radius_auth.so conf=" + conf + " " + radiusOptions);
        Sshd sshd = Sshd.start(dir, pam, List.of(ENROLLED, NEWCOMER));
        running.add(0, sshd);
        return sshd;
    }

    /** LUNARC's stack: pam_radius_auth alone, the backend checking password and code. */
    private Sshd challengeSshd(String withoutToken) throws Exception {
        return sshdWithRadius(ServerConfig.RadiusClient.CHALLENGE, withoutToken, List.of(), "prompt_attribute");
    }

    private Path outbox() {
        return server.config.sms().file();
    }

    @Test
    void anEnrolledUserLogsInWithTheCodeAndNothingElseDoes() throws Exception {
        localUsers.add(ENROLLED, null);
        CreatedToken token = server.enrolled(ENROLLED, "Phone");
        Sshd sshd = challengeSshd(ServerConfig.Radius.REJECT);
        String password = ENROLLED + TestServer.PASSWORD_SUFFIX;

        String code = server.codeNow(token);
        SshClient.Session ok = SshClient.login(dir, sshd.port, ENROLLED, outbox(),
                type(PASSWORD_PROMPT, password), type(CODE_PROMPT, code));
        assertThat(ok.loggedIn(ENROLLED)).as(ok.transcript() + sshd.log()).isTrue();
        assertThat(ok.exitCode()).isZero();
        // neither the password nor the code is echoed at its prompt
        assertThat(ok.transcript()).doesNotContain(password).doesNotContain(code);

        SshClient.Session replay = SshClient.login(dir, sshd.port, ENROLLED, outbox(),
                type(PASSWORD_PROMPT, password), type(CODE_PROMPT, code));
        assertThat(replay.loggedIn(ENROLLED)).as(replay.transcript()).isFalse();
        assertThat(replay.transcript()).contains("Permission denied");

        server.clock.advance(Duration.ofSeconds(30));
        String wrong = server.codeNow(token).equals("000000") ? "111111" : "000000";
        SshClient.Session wrongCode = SshClient.login(dir, sshd.port, ENROLLED, outbox(),
                type(PASSWORD_PROMPT, password), type(CODE_PROMPT, wrong));
        assertThat(wrongCode.loggedIn(ENROLLED)).isFalse();

        SshClient.Session wrongPassword = SshClient.login(dir, sshd.port, ENROLLED, outbox(),
                type(PASSWORD_PROMPT, "not-the-password"));
        assertThat(wrongPassword.loggedIn(ENROLLED)).isFalse();
        assertThat(wrongPassword.transcript()).doesNotContain("onetime password");

        EnrollmentClient account = server.signedIn(ENROLLED);
        account.disable(token.token().id());
        SshClient.Session disabled = SshClient.login(dir, sshd.port, ENROLLED, outbox(),
                type(PASSWORD_PROMPT, password), type("Register OTP Authenticator.*$", ""));
        assertThat(disabled.loggedIn(ENROLLED)).isFalse();
        assertThat(disabled.transcript()).doesNotContain("onetime password");

        account.enable(token.token().id());
        SshClient.Session enabledAgain = SshClient.login(dir, sshd.port, ENROLLED, outbox(),
                type(PASSWORD_PROMPT, password), type(CODE_PROMPT, server.codeNow(token)));
        assertThat(enabledAgain.loggedIn(ENROLLED)).as(enabledAgain.transcript()).isTrue();

        server.clock.advance(Duration.ofSeconds(30));
        account.revoke(token.token().id());
        SshClient.Session revoked = SshClient.login(dir, sshd.port, ENROLLED, outbox(),
                type(PASSWORD_PROMPT, password), type("Register OTP Authenticator.*$", ""));
        assertThat(revoked.loggedIn(ENROLLED)).isFalse();

        String audit = Files.readString(server.backend().audit().file());
        assertThat(audit).contains("\"event\":\"radius_accept\"", "\"callingStationId\":\"127.0.0.1\"",
                "\"detail\":\"code_invalid\"", "\"detail\":\"invalid_credentials\"");
        assertThat(audit).doesNotContain(code, password);
    }

    @Test
    void aUserWithoutATokenLogsInWithAnSmsCodeWhenTheFallbackIsOn() throws Exception {
        localUsers.add(NEWCOMER, null);
        Sshd sshd = challengeSshd(ServerConfig.Radius.SMS);
        SshClient.Session s = SshClient.login(dir, sshd.port, NEWCOMER, outbox(),
                type(PASSWORD_PROMPT, NEWCOMER + TestServer.PASSWORD_SUFFIX),
                new SshClient.Step("sent by SMS to \\+46 70\\*\\*\\* \\*\\*51\\. Please enter it: ?$", "[sms_code]"));
        assertThat(s.loggedIn(NEWCOMER)).as(s.transcript()).isTrue();
        assertThat(s.transcript()).doesNotContain(server.lastSmsCode(NEWCOMER));
    }

    @Test
    void aUserWithoutATokenIsToldToEnrollWhenTheFallbackIsOff() throws Exception {
        localUsers.add(NEWCOMER, null);
        Sshd sshd = challengeSshd(ServerConfig.Radius.REJECT);
        SshClient.Session s = SshClient.login(dir, sshd.port, NEWCOMER, outbox(),
                type(PASSWORD_PROMPT, NEWCOMER + TestServer.PASSWORD_SUFFIX),
                type("Press Enter\\. ?$", ""));
        assertThat(s.loggedIn(NEWCOMER)).isFalse();
        // the ssh client runs in the C locale, as on many login nodes: the path reads as it is, no octal escapes
        assertThat(s.transcript()).contains("You have no active authenticator token",
                "Applications > Lunarc Tools > Security > Register OTP Authenticator").doesNotContain("\\342");
        assertThat(Files.exists(outbox()) ? Files.readString(outbox()) : "").doesNotContain("+46701740651");
    }

    /**
     * Two nodes on one PostgreSQL, both in pam_radius_auth's conf file (as docs/store-and-two-nodes.md sets
     * them up); the first one dies. The login goes on against the second, and a code counts once across both.
     */
    @Test
    void theLoginGoesOnWhenTheFirstNodeDies() throws Exception {
        localUsers.add(ENROLLED, null);
        try (se.lu.lunarc.otp.testing.Postgres postgres = se.lu.lunarc.otp.testing.Postgres.start();
             se.lu.lunarc.otp.testing.TwoNodes nodes = se.lu.lunarc.otp.testing.TwoNodes.startWithUsers(postgres,
                     dir.resolve("nodes"), ENROLLED)) {
            CreatedToken token = nodes.a.enrolled(ENROLLED, "Phone");
            nodes.b.clock.advance(Duration.ofSeconds(30)); // node A's time after the enrollment
            TestRadius radiusA = TestRadius.start(nodes.a, ServerConfig.RadiusClient.CHALLENGE,
                    ServerConfig.Radius.REJECT, false);
            TestRadius radiusB = TestRadius.start(nodes.b, ServerConfig.RadiusClient.CHALLENGE,
                    ServerConfig.Radius.REJECT, false);
            running.add(radiusA);
            running.add(radiusB);
            Path conf = dir.resolve("pam_radius_auth-two-nodes.conf");
            Sshd.writePrivate(conf, "127.0.0.1:" + radiusA.port + " " + radiusA.secret + " 1\n"
                    + "127.0.0.1:" + radiusB.port + " " + radiusB.secret + " 1\n");
            Sshd sshd = Sshd.start(dir, List.of("auth required pam_radius_auth.so conf=" + conf + " prompt_attribute"),
                    List.of(ENROLLED));
            running.add(0, sshd);
            String password = ENROLLED + TestServer.PASSWORD_SUFFIX;

            long first = System.nanoTime();
            SshClient.Session bothUp = SshClient.login(dir, sshd.port, ENROLLED, outbox(),
                    type(PASSWORD_PROMPT, password), type(CODE_PROMPT, nodes.a.codeNow(token)));
            System.out.printf("login with both nodes up: %.1f s%n", (System.nanoTime() - first) / 1e9);
            assertThat(bothUp.loggedIn(ENROLLED)).as(bothUp.transcript() + sshd.log()).isTrue();
            assertThat(Files.readString(nodes.a.backend().audit().file())).contains("\"event\":\"radius_accept\"");

            radiusA.close(); // node A dies: nothing answers on its port any more
            nodes.a.server().close();
            nodes.advance(Duration.ofSeconds(30));
            String code = nodes.b.codeNow(token);
            long started = System.nanoTime();
            SshClient.Session oneDown = SshClient.login(dir, sshd.port, ENROLLED, outbox(),
                    type(PASSWORD_PROMPT, password), type(CODE_PROMPT, code));
            System.out.printf("login with the first node dead: %.1f s (pam_radius_auth timeout 1 s per round)%n",
                    (System.nanoTime() - started) / 1e9);
            assertThat(oneDown.loggedIn(ENROLLED)).as(oneDown.transcript() + sshd.log()).isTrue();
            assertThat(Files.readString(nodes.b.backend().audit().file())).contains("\"event\":\"radius_accept\"");

            SshClient.Session replay = SshClient.login(dir, sshd.port, ENROLLED, outbox(),
                    type(PASSWORD_PROMPT, password), type(CODE_PROMPT, code));
            assertThat(replay.loggedIn(ENROLLED)).as("the same code again").isFalse();
        }
    }

    @Test
    void otpOnlyStackPamUnixChecksThePasswordAndRadiusTheCode() throws Exception {
        String unixPassword = "unix-" + java.util.UUID.randomUUID();
        localUsers.add(ENROLLED, unixPassword);
        CreatedToken token = server.enrolled(ENROLLED, "Phone");
        Sshd sshd = sshdWithRadius(ServerConfig.RadiusClient.OTP_ONLY, ServerConfig.Radius.REJECT,
                List.of("auth requisite pam_unix.so"),
                "force_prompt skip_passwd prompt_attribute");
        SshClient.Session ok = SshClient.login(dir, sshd.port, ENROLLED, outbox(),
                type(PASSWORD_PROMPT, unixPassword), type(CODE_PROMPT, server.codeNow(token)));
        assertThat(ok.loggedIn(ENROLLED)).as(ok.transcript() + sshd.log()).isTrue();
        assertThat(ok.transcript()).doesNotContain(unixPassword).doesNotContain(server.codeNow(token));

        server.clock.advance(Duration.ofSeconds(30));
        SshClient.Session wrongUnix = SshClient.login(dir, sshd.port, ENROLLED, outbox(),
                type(PASSWORD_PROMPT, "wrong"), type(CODE_PROMPT, server.codeNow(token)));
        assertThat(wrongUnix.loggedIn(ENROLLED)).isFalse();
        // pam_unix failed first (requisite): RADIUS was never asked, so the code is still unused
        SshClient.Session stillGood = SshClient.login(dir, sshd.port, ENROLLED, outbox(),
                type(PASSWORD_PROMPT, unixPassword), type(CODE_PROMPT, server.codeNow(token)));
        assertThat(stillGood.loggedIn(ENROLLED)).as(stillGood.transcript()).isTrue();
    }
}
