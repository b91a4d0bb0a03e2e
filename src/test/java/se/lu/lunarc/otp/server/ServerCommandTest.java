package se.lu.lunarc.otp.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import se.lu.lunarc.otp.Main;
import se.lu.lunarc.otp.api.LoginStarted;
import se.lu.lunarc.otp.client.ClientOptions;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.client.HumanCheckSolver;
import se.lu.lunarc.otp.server.users.PasswordHasher;
import se.lu.lunarc.otp.testing.StandardError;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line as an administrator or the launcher uses it. */
class ServerCommandTest {
    @TempDir
    Path dir;

    @Test
    void demoServerAnnouncesItsAddressAndSignsInTheDemoUser() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--demo", "--data", dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            Pattern listening = Pattern.compile("^Listening on (http://127\\.0\\.0\\.1:\\d+)$");
            String url = null;
            for (String line; url == null && (line = out.readLine()) != null; ) {
                Matcher m = listening.matcher(line);
                url = m.matches() ? m.group(1) : null;
            }
            assertThat(url).as("the 'Listening on' line").isNotNull();
            EnrollmentClient c = new EnrollmentClient(ClientOptions.of(URI.create(url)).withEnvironment(Map.of()));
            LoginStarted started = c.login("demo", "lunarc-demo".toCharArray(), HumanCheckSolver.solve(c.humanCheck()));
            assertThat(started.sms().maskedPhone()).isEqualTo("+46 70*** **42");
            String outbox = Files.readString(dir.resolve("sms-outbox.jsonl"));
            Matcher code = Pattern.compile("\\b(\\d{6})\\b").matcher(outbox);
            assertThat(code.find()).isTrue();
            c.submitCode(started.loginId(), code.group(1));
            assertThat(c.me().username()).isEqualTo("demo");
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] args : new String[][] {{"--help"}, {"text", "--help"}, {"server", "--help"},
                {"server", "hash-password", "--help"}, {"server", "migrate-store", "--help"},
                {"server", "tokens", "import", "--help"}, {"server", "admin", "tokens", "list", "--help"},
                {"server", "admin", "unlock", "--help"}}) {
            StringWriter text = new StringWriter();
            CommandLine cli = se.lu.lunarc.otp.Cli.commandLine();
            cli.setOut(new PrintWriter(text));
            assertThat(cli.execute(args)).isZero();
            assertThat(text.toString()).contains("Usage:");
        }
    }

    @Test
    void hashPasswordPrintsAnArgon2idHashThatVerifies() {
        var stdin = System.in;
        var stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream("correct horse\n".getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertThat(se.lu.lunarc.otp.Cli.commandLine().execute("server", "hash-password")).isZero();
        } finally {
            System.setIn(stdin);
            System.setOut(stdout);
        }
        String hash = printed.toString(StandardCharsets.UTF_8).strip();
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        PasswordHasher hasher = new PasswordHasher();
        assertThat(hasher.verify("correct horse".toCharArray(), hash)).isTrue();
        assertThat(hasher.verify("correct horsE".toCharArray(), hash)).isFalse();
    }

    @Test
    void realConfigRefusesPlainHttpOffLoopback() throws Exception {
        Path users = dir.resolve("users.yaml");
        Files.writeString(users, "users: []\n");
        Path config = dir.resolve("server.yaml");
        Files.writeString(config, "listen: 0.0.0.0:0\ndataDir: data\nusers: {file: users.yaml}\n");
        StandardError.Run run = StandardError.capture(() -> se.lu.lunarc.otp.Cli.commandLine().execute("server", "--config",
                config.toString()));
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.printed()).contains("refusing plain HTTP")
                .doesNotContain("\tat ");
    }
}
