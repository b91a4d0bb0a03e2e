package se.lu.lunarc.otp.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.api.LoginStarted;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.ClientOptions;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.client.HumanCheckSolver;
import se.lu.lunarc.otp.otp.OtpAuthUri;
import se.lu.lunarc.otp.server.Backend;
import se.lu.lunarc.otp.server.http.EnrollmentServer;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.sms.FileSmsGateway;
import se.lu.lunarc.otp.server.sms.HttpSmsGateway;
import se.lu.lunarc.otp.server.sms.SmsGateway;
import se.lu.lunarc.otp.server.users.FileUserDirectory;
import se.lu.lunarc.otp.server.users.LdapUserDirectory;
import se.lu.lunarc.otp.server.users.MobileNumbers;
import se.lu.lunarc.otp.server.users.UserDirectory;
import se.lu.lunarc.otp.server.users.PasswordHasher;
import se.lu.lunarc.otp.server.users.User;

import java.io.IOException;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real reference backend on a loopback port, with a real database and SMS outbox file in a test folder,
 * users {@code alice} (password {@code alice-pw}) and optionally {@code user00..userNN}, and a clock the test
 * controls.
 */
public final class TestServer implements AutoCloseable {
    public static final String PASSWORD_SUFFIX = "-pw";
    private static final PasswordHasher HASHER = new PasswordHasher();
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    public final MutableClock clock;
    public final Path dir;
    public final ServerConfig config;
    private final List<User> users;
    private EnrollmentServer server;
    /** Where {@link #client()} sends its requests: the server itself, or a proxy in front of it. */
    private URI clientsGoTo;
    private final List<FromAddress> relays = new java.util.concurrent.CopyOnWriteArrayList<>();

    private TestServer(Path dir, MutableClock clock, ServerConfig config, List<User> users) {
        this.dir = dir;
        this.clock = clock;
        this.config = config;
        this.users = users;
    }

    /** Rate limits that load tests never reach: what they measure is the work, not the refusals. */
    public static ServerConfig.Limits limitsLoadNeverReaches() {
        ServerConfig.Limit plenty = new ServerConfig.Limit(100_000_000, 60);
        return new ServerConfig.Limits(plenty, plenty, plenty, plenty, plenty, plenty, 100_000_000, 1);
    }

    public static TestServer start(Path dir) throws Exception {
        return start(dir, null, 0);
    }

    public static TestServer start(Path dir, ServerConfig.Limits limits, int extraUsers) throws Exception {
        return start(dir, limits, usual(extraUsers));
    }

    /** alice and {@code extraUsers} more, on a configuration {@code adjust} changes. */
    public static TestServer start(Path dir, int extraUsers, java.util.function.UnaryOperator<ServerConfig> adjust)
            throws Exception {
        return start(dir, null, usual(extraUsers), adjust);
    }

    /** The same, with these limits. */
    public static TestServer start(Path dir, ServerConfig.Limits limits, int extraUsers,
                                   java.util.function.UnaryOperator<ServerConfig> adjust) throws Exception {
        return start(dir, limits, usual(extraUsers), adjust);
    }

    /** alice, then user00, user01 …, each with a mobile number of their own. */
    private static List<User> usual(int extraUsers) {
        List<User> users = new ArrayList<>();
        users.add(user("alice", "+46701740601"));
        for (int i = 0; i < extraUsers; i++) {
            users.add(user(String.format("user%02d", i), String.format("+467017406%02d", 10 + i)));
        }
        return users;
    }

    /** A server that makes its data folder {@code dir} itself (which must not exist yet), as at a first start. */
    public static TestServer startIn(Path dir) throws Exception {
        return start(dir, null, 0);
    }

    /** A server whose directory holds exactly these users (password {@code NAME-pw}, a mobile number each). */
    public static TestServer startWithUsers(Path dir, String... names) throws Exception {
        return startWithUsers(dir, c -> c, names);
    }

    /** Exactly these users, on a configuration {@code adjust} changes. */
    public static TestServer startWithUsers(Path dir, java.util.function.UnaryOperator<ServerConfig> adjust,
                                            String... names) throws Exception {
        List<User> users = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            users.add(user(names[i], String.format("+467017406%02d", 50 + i)));
        }
        return start(dir, null, users, adjust);
    }

    /** The usual users (alice), on a configuration {@code adjust} changes. */
    public static TestServer start(Path dir, java.util.function.UnaryOperator<ServerConfig> adjust) throws Exception {
        return start(dir, 0, adjust);
    }

    private static TestServer start(Path dir, ServerConfig.Limits limits, List<User> users) throws Exception {
        return start(dir, limits, users, c -> c);
    }

    private static TestServer start(Path dir, ServerConfig.Limits limits, List<User> users,
                                    java.util.function.UnaryOperator<ServerConfig> adjust) throws Exception {
        ServerConfig config = new ServerConfig("127.0.0.1:0", false, null, dir, "LUNARC", null,
                new ServerConfig.Sms("file", dir.resolve("sms-outbox.jsonl"), null, null), null, limits, null, 0,
                0, null, null, null, null, null, null);
        config = adjust.apply(config);
        TestServer t = new TestServer(dir, new MutableClock(Instant.parse("2026-11-28T10:00:00Z")), config, users);
        t.startServer();
        return t;
    }

    private static User user(String name, String mobile) {
        return new User(name, "User " + name, name + "@example.org", mobile, "Lund University",
                HASHER.hash((name + PASSWORD_SUFFIX).toCharArray()));
    }

    public void startServer() throws Exception {
        UserDirectory directory = config.users().type().equals("ldap")
                ? new LdapUserDirectory(config.users().ldap(), new MobileNumbers(config.users().defaultRegion()))
                : new FileUserDirectory(users, HASHER);
        SmsGateway sms = config.sms().type().equals("http") ? new HttpSmsGateway(config.sms().http())
                : new FileSmsGateway(config.sms().file(), clock);
        server = EnrollmentServer.start(new Backend(config, directory, sms, clock));
    }

    /** Stops and starts the server on the same data folder, as a service restart would. */
    public void restart() throws Exception {
        server.close();
        startServer();
    }

    public String baseUrl() {
        return server.baseUri().toString();
    }

    public EnrollmentServer server() {
        return server;
    }

    public Backend backend() {
        return server.backend();
    }

    /** Signs in, adds a token called {@code name} and activates it; the clock then moves one step on. */
    public CreatedToken enrolled(String username, String name) throws Exception {
        EnrollmentClient c = signedIn(username);
        CreatedToken created = c.createToken(name);
        c.activate(created.token().id(), codeNow(created));
        clock.advance(java.time.Duration.ofSeconds(30));
        return created;
    }

    public EnrollmentClient client() throws ApiException {
        URI to = clientsGoTo != null ? clientsGoTo : server.baseUri();
        return new EnrollmentClient(ClientOptions.of(to).withEnvironment(Map.of()));
    }

    /**
     * A client whose requests reach the server from {@code address} (a loopback address such as 127.0.0.66), as if
     * it were another machine. The relay lives as long as this server.
     */
    public EnrollmentClient clientFrom(String address) throws Exception {
        FromAddress relay = new FromAddress(address, server.baseUri());
        relays.add(relay);
        return new EnrollmentClient(ClientOptions.of(relay.uri()).withEnvironment(Map.of()));
    }

    /** Signs {@code username} in through both steps from {@code address}. */
    public EnrollmentClient signedInFrom(String username, String address) throws Exception {
        EnrollmentClient c = clientFrom(address);
        LoginStarted started = c.login(username, password(username), HumanCheckSolver.solve(c.humanCheck()));
        c.submitCode(started.loginId(), lastSmsCode(username));
        return c;
    }

    /** From now on, the clients this makes go through {@code proxy}. */
    public TestServer behind(LoopbackProxy proxy) {
        clientsGoTo = proxy.uri();
        return this;
    }

    public String serviceKey() throws IOException {
        return Files.readString(dir.resolve("service-key")).strip();
    }

    /**
     * The code in the newest SMS sent to {@code username}'s phone, read from the outbox file; waits up to 5 s for
     * the first one (RADIUS sends its SMS off the thread that answered the NAS).
     */
    public String lastSmsCode(String username) throws IOException, InterruptedException {
        String code = null;
        for (int i = 0; i < 50 && (code = newestSmsCode(username)) == null; i++) {
            Thread.sleep(100);
        }
        return code;
    }

    private String newestSmsCode(String username) throws IOException {
        if (!Files.exists(config.sms().file())) {
            return null;
        }
        String mobile = users.stream().filter(u -> u.username().equals(username)).findFirst()
                .or(() -> server.backend().users().find(username)).orElseThrow().mobile();
        ObjectMapper json = new ObjectMapper();
        String code = null;
        for (String line : Files.readAllLines(config.sms().file())) {
            JsonNode m = json.readTree(line);
            if (m.get("to").asText().equals(mobile)) {
                Matcher matcher = CODE.matcher(m.get("text").asText());
                if (matcher.find()) { // notifications carry no code: the newest code is in the newest message with one
                    code = matcher.group(1);
                }
            }
        }
        return code;
    }

    /** Signs {@code username} in through both steps with a fresh client. */
    public EnrollmentClient signedIn(String username) throws Exception {
        EnrollmentClient c = client();
        LoginStarted started = c.login(username, password(username), HumanCheckSolver.solve(c.humanCheck()));
        c.submitCode(started.loginId(), lastSmsCode(username));
        return c;
    }

    /** The password of the account {@code username} names, in whatever case it is typed. */
    private static char[] password(String username) {
        return (se.lu.lunarc.otp.api.Usernames.folded(username) + PASSWORD_SUFFIX).toCharArray();
    }

    /** The code the phone app would show now for a freshly created token. */
    public String codeNow(CreatedToken created) {
        OtpAuthUri uri = OtpAuthUri.parse(created.enrollment().otpauthUri());
        return uri.totp().code(uri.secret(), clock.instant());
    }

    public String codeAt(CreatedToken created, long stepOffset) {
        OtpAuthUri uri = OtpAuthUri.parse(created.enrollment().otpauthUri());
        return uri.totp().code(uri.secret(), uri.totp().step(clock.instant()) + stepOffset);
    }

    @Override
    public void close() throws Exception {
        for (FromAddress relay : relays) {
            relay.close();
        }
        server.close();
    }
}
