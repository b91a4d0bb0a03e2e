package se.lu.lunarc.otp.server;

import se.lu.lunarc.otp.server.http.EnrollmentServer;
import se.lu.lunarc.otp.server.net.InetAddressCheck;

import se.lu.lunarc.otp.server.sms.FileSmsGateway;
import se.lu.lunarc.otp.server.users.FileUserDirectory;
import se.lu.lunarc.otp.server.users.PasswordHasher;
import se.lu.lunarc.otp.server.users.User;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * The reference backend as a demo: loopback only, one fictional user, SMS written to {@code sms-outbox.jsonl}
 * in the data folder. What {@code server --demo} runs, and what the wizard starts when no server is configured.
 */
public final class DemoBackend {
    public static final String USERNAME = "demo";
    public static final String PASSWORD = "lunarc-demo";
    /** A number from the range Swedish regulators reserve for fiction (070-1740605 to 070-1740699). */
    public static final String MOBILE = "+46701740642";
    public static final String OUTBOX = "sms-outbox.jsonl";

    private DemoBackend() {}

    public static EnrollmentServer start(String listen, Path dataDir, Clock clock) throws IOException, SQLException {
        Path data = dataDir != null ? dataDir : Files.createTempDirectory("lunarc-otp-demo-");
        ServerConfig config = new ServerConfig(listen == null ? "127.0.0.1:0" : listen, false, null, data, "LUNARC",
                null, new ServerConfig.Sms("file", data.resolve(OUTBOX), null, null), null, null, null, 0, 0, null, null,
                null, null, null, null);
        InetAddressCheck.requireLoopback(config.host());
        PasswordHasher hasher = new PasswordHasher();
        User demo = new User(USERNAME, "Demo User", "demo.user@example.org", MOBILE, "LUNARC demo project",
                hasher.hash(PASSWORD.toCharArray()));
        FileUserDirectory users = new FileUserDirectory(List.of(demo), hasher);
        Backend backend = new Backend(config, users, new FileSmsGateway(config.sms().file(), clock), clock);
        return EnrollmentServer.start(backend);
    }
}
