package se.lu.lunarc.otp.server;

import se.lu.lunarc.otp.server.limits.RateLimiter;
import se.lu.lunarc.otp.server.metrics.MeteredDirectory;
import se.lu.lunarc.otp.server.metrics.MeteredSms;
import se.lu.lunarc.otp.server.metrics.ServerMetrics;
import se.lu.lunarc.otp.server.notify.Notifier;
import se.lu.lunarc.otp.server.limits.RateLimits;
import se.lu.lunarc.otp.server.secrets.PrivateFiles;
import se.lu.lunarc.otp.server.secrets.ServiceKeys;
import se.lu.lunarc.otp.server.signin.HumanCheck;
import se.lu.lunarc.otp.server.signin.LoginService;
import se.lu.lunarc.otp.server.signin.PasswordAttempts;
import se.lu.lunarc.otp.server.signin.SessionStore;
import se.lu.lunarc.otp.server.tokens.TokenService;
import se.lu.lunarc.otp.server.tokens.ValidateService;

import se.lu.lunarc.otp.server.audit.AuditLog;
import se.lu.lunarc.otp.server.sms.SmsGateway;
import se.lu.lunarc.otp.server.store.Database;
import se.lu.lunarc.otp.server.store.KeyCheck;
import se.lu.lunarc.otp.server.store.SecretCipher;
import se.lu.lunarc.otp.server.store.SourceFailures;
import se.lu.lunarc.otp.server.users.UserDirectory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/** The backend's services, built once from the configuration; the HTTP layer only translates to them. */
public final class Backend implements AutoCloseable {
    private final ServerConfig config;
    private final Clock clock;
    private final Database db;
    private final AuditLog audit;
    private final HumanCheck humanCheck;
    private final SessionStore sessions;
    private final LoginService logins;
    private final TokenService tokens;
    private final se.lu.lunarc.otp.server.hardware.HardwareTokens hardware;
    private final ValidateService validate;
    private final UserDirectory users;
    private final RateLimiter humanChecksPerAddress;
    private final SmsGateway sms;
    private final RateLimits rateLimits;
    private final ServiceHealth health;
    private final PasswordAttempts passwords;
    private final ServerMetrics metrics;
    private final Notifier notifier;

    public Backend(ServerConfig config, UserDirectory users, SmsGateway sms, Clock clock)
            throws IOException, SQLException {
        this.config = config;
        this.clock = clock;
        this.metrics = config.metrics() == null ? ServerMetrics.off() : ServerMetrics.prometheus();
        this.users = new MeteredDirectory(users, metrics);
        this.sms = new MeteredSms(sms, metrics);
        Path data = config.dataDir();
        PrivateFiles.createPrivateFolder(data);
        SecretCipher cipher = SecretCipher.forStore(config.store(), data.resolve("secret.key"), clock);
        this.db = Database.open(config.store(), data,
                KeyCheck.verification(cipher, data.resolve("secret.key").toString()));
        db.observe(metrics::store);
        this.audit = new AuditLog(data.resolve("audit.jsonl"), clock);
        audit.onRecorded(metrics::recorded);
        for (SourceFailures table : SourceFailures.values()) {
            metrics.throttledSources(table.kind(), () -> waiting(table));
        }
        this.health = new ServiceHealth(db, audit);
        metrics.ready(() -> health.ready(Duration.ofSeconds(1)));
        this.rateLimits = db.dialect() == Database.Dialect.POSTGRESQL
                ? RateLimits.shared(db.sharedDataSource(), clock) : RateLimits.local(clock);
        this.humanCheck = new HumanCheck(cipher.derive("human check"), db, clock);
        this.sessions = new SessionStore(db, Duration.ofMinutes(config.sessionIdleMinutes()),
                Duration.ofHours(config.sessionMaxHours()), clock);
        this.passwords = new PasswordAttempts(db, this.users, config.limits().failureWaits(),
                rateLimits.limiter(RateLimits.Name.PASSWORD_FAILURES_NEW_SOURCES, config.limits().loginPerUser()), clock);
        this.logins = new LoginService(config, this.users, this.sms, humanCheck, sessions, audit, clock, rateLimits, db,
                passwords);
        this.tokens = new TokenService(config, db, cipher, audit, clock, rateLimits);
        this.hardware = new se.lu.lunarc.otp.server.hardware.HardwareTokens(config, db, cipher, audit, clock, rateLimits,
                tokens);
        this.validate = new ValidateService(config, ServiceKeys.load(serviceKeyFile(config)), db, tokens, audit, clock, rateLimits,
                this.users);
        this.humanChecksPerAddress = rateLimits.limiter(RateLimits.Name.HUMAN_CHECK_ADDRESS,
                config.limits().humanCheckPerAddress());
        this.notifier = Notifier.forSite(config, this.users, this.sms, audit, rateLimits, clock);
    }

    /** Sources of one kind waiting now, for the metrics' gauge; read at each scrape. */
    private long waiting(SourceFailures table) {
        try {
            return db.read(c -> table.waiting(c, clock.instant().getEpochSecond()));
        } catch (SQLException e) {
            throw new se.lu.lunarc.otp.server.errors.StoreUnavailable(e);
        }
    }

    /** What the server counts and times; a no-op without a {@code metrics:} block. */
    public ServerMetrics metrics() {
        return metrics;
    }

    public HumanCheck humanCheck() {
        return humanCheck;
    }

    public SessionStore sessions() {
        return sessions;
    }

    public LoginService logins() {
        return logins;
    }

    public TokenService tokens() {
        return tokens;
    }

    public se.lu.lunarc.otp.server.hardware.HardwareTokens hardware() {
        return hardware;
    }

    /** Human-check challenges per address: asked before a challenge is made. */
    public RateLimiter humanChecksPerAddress() {
        return humanChecksPerAddress;
    }

    /** The store, for the RADIUS service's States and SMS rounds. */
    public Database db() {
        return db;
    }

    /** Password checks under the failure rule, for sign-in and RADIUS's password round. */
    public PasswordAttempts passwords() {
        return passwords;
    }

    /** Whether this node can serve now, for {@code /health} and RADIUS Status-Server. */
    public ServiceHealth health() {
        return health;
    }

    public RateLimits rateLimits() {
        return rateLimits;
    }

    public AuditLog audit() {
        return audit;
    }

    public ServerConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public UserDirectory users() {
        return users;
    }

    public SmsGateway sms() {
        return sms;
    }

    public ValidateService validate() {
        return validate;
    }

    /** The file SMS gateway's outbox, where the configuration has one (the demo's phone). */
    public Path smsOutbox() {
        return "file".equals(config.sms().type()) ? config.sms().file() : null;
    }

    /** A service key shorter than this is refused: 256 random bits are 43 characters of Base64. */

    /** The service keys' file: {@code serviceKeyFile}, or {@code service-key} in the data folder. */
    static Path serviceKeyFile(ServerConfig config) {
        return config.serviceKeyFile() != null ? config.serviceKeyFile() : config.dataDir().resolve("service-key");
    }

    @Override
    public void close() throws SQLException {
        if (notifier != null) {
            try {
                notifier.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        users.close();
        health.close();
        rateLimits.close();
        db.close();
        metrics.close();
        try {
            audit.close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
