package se.lu.lunarc.otp.server;

import se.lu.lunarc.otp.server.limits.FailureWaits;
import se.lu.lunarc.otp.server.metrics.MetricsConfig;
import se.lu.lunarc.otp.server.net.AddressBlock;
import se.lu.lunarc.otp.server.notify.MailConfig;
import se.lu.lunarc.otp.server.notify.NotifyConfig;
import se.lu.lunarc.otp.server.users.LdapConfig;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The backend's configuration, read from YAML ({@code lunarc-otp server --config FILE}). Every field has a
 * default, so a config names only what a site changes; see {@code packaging/server.example.yaml}.
 */
public record ServerConfig(
        String listen,
        boolean allowPlainHttp,
        Tls tls,
        Path dataDir,
        String issuer,
        Users users,
        Sms sms,
        Path serviceKeyFile,
        Limits limits,
        Tokens tokens,
        int sessionIdleMinutes,
        int sessionMaxHours,
        List<String> trustedProxies,
        Radius radius,
        Store store,
        MetricsConfig metrics,
        NotifyConfig notifications,
        MailConfig mail) {

    public ServerConfig {
        listen = listen == null ? "127.0.0.1:8443" : listen;
        dataDir = dataDir == null ? Path.of("data") : dataDir;
        issuer = issuer == null ? "LUNARC" : issuer;
        users = users == null ? new Users(null) : users;
        sms = sms == null ? new Sms(null, null, null, null) : sms;
        limits = limits == null ? Limits.DEFAULTS : limits;
        tokens = tokens == null ? new Tokens(0, 0, 0) : tokens;
        sessionIdleMinutes = sessionIdleMinutes <= 0 ? 15 : sessionIdleMinutes;
        sessionMaxHours = sessionMaxHours <= 0 ? 8 : sessionMaxHours;
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        trustedProxies.forEach(p -> AddressBlock.parse(p, "trustedProxies"));
        store = store == null ? new Store(null, null, null, null, 0) : store;
        notifications = notifications == null && mail != null ? new NotifyConfig(null, null, null, null) : notifications;
    }

    /**
     * Where tokens and the security state live: {@code type: sqlite} (the default: one file in the data folder,
     * nothing to run) or {@code type: postgresql}, shared by every node, at {@code url} (a JDBC URL) as
     * {@code user} with the password in {@code passwordFile}, through a pool of {@code poolSize} connections.
     * {@code key} is where the key that seals token secrets lives: {@code file} (secret.key in the data folder, the
     * default) or {@code pkcs11}, a key in the token {@code pkcs11} names.
     */
    public record Store(String type, String url, String user, Path passwordFile, int poolSize, String key,
                        Pkcs11 pkcs11) {
        public Store {
            type = type == null ? "sqlite" : type;
            poolSize = poolSize <= 0 ? 10 : poolSize;
            key = key == null ? "file" : key;
            if (!type.equals("sqlite") && !type.equals("postgresql")) {
                throw new IllegalArgumentException("store.type must be sqlite or postgresql, not " + type);
            }
            if (type.equals("postgresql") && (url == null || !url.startsWith("jdbc:postgresql:"))) {
                throw new IllegalArgumentException("store.url must be a jdbc:postgresql:// URL for store.type postgresql");
            }
            if (!key.equals("file") && !key.equals("pkcs11")) {
                throw new IllegalArgumentException("store.key must be file or pkcs11, not " + key);
            }
            if (key.equals("pkcs11") && pkcs11 == null) {
                throw new IllegalArgumentException("store.key: pkcs11 needs a store.pkcs11 block: library, slot, "
                        + "label and pinFile");
            }
        }

        public Store(String type, String url, String user, Path passwordFile, int poolSize) {
            this(type, url, user, passwordFile, poolSize, null, null);
        }

        Store resolvedAgainst(Path base) {
            return new Store(type, url, user, passwordFile == null ? null : base.resolve(passwordFile), poolSize, key,
                    pkcs11 == null ? null : new Pkcs11(base.resolve(pkcs11.library()).toString(), pkcs11.slot(),
                            pkcs11.label(), base.resolve(pkcs11.pinFile())));
        }
    }

    /**
     * A PKCS#11 token holding the store key: the module's {@code library} (for SoftHSM2
     * /usr/lib/softhsm/libsofthsm2.so), the token's {@code slot} id, the key's {@code label}, and the user PIN alone
     * in {@code pinFile}.
     */
    public record Pkcs11(String library, long slot, String label, Path pinFile) {
        public Pkcs11 {
            if (library == null || library.isBlank() || pinFile == null) {
                throw new IllegalArgumentException("store.pkcs11 needs library and pinFile");
            }
            label = label == null || label.isBlank() ? "lunarc-otp-store" : label;
            if (!label.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("store.pkcs11.label may hold letters, digits, '.', '_' and '-' "
                        + "(at most 64), not " + label);
            }
        }
    }

    public record Tls(Path keystore, String password, String type) {
        public Tls {
            type = type == null ? "PKCS12" : type;
        }

        @Override
        public String toString() {
            return "Tls[keystore=" + keystore + ", type=" + type + ", password=***]";
        }
    }

    /**
     * Where the accounts are: {@code type: file} (a YAML file, described in {@code packaging/users.example.yaml})
     * or {@code type: ldap} (the site's directory, in {@code ldap}). {@code defaultRegion} is the ISO country
     * whose numbers may be written without a country code; every mobile number is normalised to E.164.
     * {@code caseSensitive} (file only; default false) says whether {@code Alice} and {@code alice} are two accounts;
     * LDAP's {@code uid} matches without case anyway. Either way an account's name is the directory's own spelling.
     */
    public record Users(String type, Path file, LdapConfig ldap, String defaultRegion, boolean caseSensitive) {
        public Users {
            type = type == null ? (ldap != null ? "ldap" : "file") : type;
            defaultRegion = defaultRegion == null ? "SE" : defaultRegion;
            if (!type.equals("file") && !type.equals("ldap")) {
                throw new IllegalArgumentException("users.type must be file or ldap, not " + type);
            }
            if (type.equals("ldap") && ldap == null) {
                throw new IllegalArgumentException("users.type ldap needs a users.ldap block");
            }
        }

        public Users(Path file) {
            this(null, file, null, null, false);
        }

        public Users(String type, Path file, LdapConfig ldap, String defaultRegion) {
            this(type, file, ldap, defaultRegion, false);
        }

        Users resolvedAgainst(Path base) {
            return new Users(type, file == null ? null : base.resolve(file),
                    ldap == null ? null : ldap.resolvedAgainst(base), defaultRegion, caseSensitive);
        }
    }

    /** {@code type} is {@code file} (append JSON lines to {@code file}) or {@code http}. */
    public record Sms(String type, Path file, HttpSms http, String template) {
        public Sms {
            type = type == null ? "file" : type;
            template = template == null
                    ? "Your LUNARC one-time code is {code}. It is valid for {minutes} minutes." : template;
        }
    }

    public record HttpSms(String url, String format, String toField, String textField, String authType,
                          String username, String password, String bearerToken, Map<String, String> extraFields,
                          int timeoutSeconds, int retries) {
        public HttpSms {
            format = format == null ? "json" : format;
            toField = toField == null ? "to" : toField;
            textField = textField == null ? "text" : textField;
            authType = authType == null ? "none" : authType;
            extraFields = extraFields == null ? Map.of() : extraFields;
            timeoutSeconds = timeoutSeconds <= 0 ? 10 : timeoutSeconds;
            retries = Math.max(0, retries);
        }

        @Override
        public String toString() {
            return "HttpSms[url=" + url + ", format=" + format + ", authType=" + authType + "]";
        }
    }

    /** Attempts allowed per window; a window is given in seconds. */
    public record Limit(int attempts, long windowSeconds) {
        public Duration window() {
            return Duration.ofSeconds(windowSeconds);
        }
    }

    public record Limits(Limit loginPerUser, Limit loginPerAddress, Limit humanCheckPerAddress,
                         Limit codePerAddress, Limit tokenCodePerUser, Limit validatePerAddress,
                         int validateLockoutFailures, long validateLockoutSeconds, Limit smsCodeFailuresPerUser,
                         Limit codeFailuresFromNewSources) {
        // generous per address: a whole ThinLinc node's users share one address
        static final Limits DEFAULTS = new Limits(null, null, null, null, null, null, 0, 0, null, null);

        /** Without the SMS failure limit: its default. */
        public Limits(Limit loginPerUser, Limit loginPerAddress, Limit humanCheckPerAddress, Limit codePerAddress,
                      Limit tokenCodePerUser, Limit validatePerAddress, int validateLockoutFailures,
                      long validateLockoutSeconds) {
            this(loginPerUser, loginPerAddress, humanCheckPerAddress, codePerAddress, tokenCodePerUser,
                    validatePerAddress, validateLockoutFailures, validateLockoutSeconds, null, null);
        }

        public Limits {
            // wrong SMS codes per account, across sign-ins and resends: ASVS 2.2.1 allows at most 100 an hour
            smsCodeFailuresPerUser = smsCodeFailuresPerUser == null ? new Limit(30, 3600) : smsCodeFailuresPerUser;
            // wrong login codes per account from sources where the user never succeeded (ASVS 2.2.1: ≤ 100/h)
            codeFailuresFromNewSources = codeFailuresFromNewSources == null ? new Limit(100, 3600)
                    : codeFailuresFromNewSources;
            loginPerUser = loginPerUser == null ? new Limit(10, 900) : loginPerUser;
            loginPerAddress = loginPerAddress == null ? new Limit(200, 900) : loginPerAddress;
            humanCheckPerAddress = humanCheckPerAddress == null ? new Limit(120, 60) : humanCheckPerAddress;
            codePerAddress = codePerAddress == null ? new Limit(200, 300) : codePerAddress;
            tokenCodePerUser = tokenCodePerUser == null ? new Limit(20, 600) : tokenCodePerUser;
            validatePerAddress = validatePerAddress == null ? new Limit(6000, 60) : validatePerAddress;
            // free wrong codes per user and source before the waits begin; the longest wait
            validateLockoutFailures = validateLockoutFailures <= 0 ? 5 : validateLockoutFailures;
            validateLockoutSeconds = validateLockoutSeconds <= 0 ? 900 : validateLockoutSeconds;
        }

        /** What wrong codes and wrong passwords cost the place they come from. */
        public FailureWaits failureWaits() {
            return new FailureWaits(validateLockoutFailures, validateLockoutSeconds);
        }
    }

    /**
     * The RADIUS service for the cluster's login (PAM with pam_radius_auth); off when the block is absent.
     * {@code withoutToken} is what a user with no active token gets: {@code reject} (told to enroll) or {@code sms}.
     */
    public record Radius(String listen, String language, String withoutToken, List<RadiusClient> clients,
                         int threads, Limit perClient, Limit perUser, Limit passwordPerStation) {
        public static final String REJECT = "reject";
        public static final String SMS = "sms";

        public Radius {
            listen = listen == null ? "0.0.0.0:1812" : listen;
            language = language == null ? "en" : language;
            withoutToken = withoutToken == null ? REJECT : withoutToken;
            if (!REJECT.equals(withoutToken) && !SMS.equals(withoutToken)) {
                throw new IllegalArgumentException("radius.withoutToken must be reject or sms, not " + withoutToken);
            }
            if (!"en".equals(language) && !"sv".equals(language)) {
                throw new IllegalArgumentException("radius.language must be en or sv, not " + language);
            }
            clients = clients == null ? List.of() : List.copyOf(clients);
            threads = threads <= 0 ? 4 : threads;
            // per NAS: a login node forwards all its users' logins
            perClient = perClient == null ? new Limit(3000, 60) : perClient;
            // code checks per user (the second round, or every request in otp-only mode)
            perUser = perUser == null ? new Limit(30, 300) : perUser;
            // password rounds per user and calling station, so nobody elsewhere can use up a user's attempts
            passwordPerStation = passwordPerStation == null ? new Limit(10, 900) : passwordPerStation;
        }

        public String host() {
            return listen.substring(0, listen.lastIndexOf(':')).replace("[", "").replace("]", "");
        }

        public int port() {
            return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
        }

        Radius resolvedAgainst(Path base) {
            return new Radius(listen, language, withoutToken, clients.stream().map(c -> new RadiusClient(c.name(),
                    c.address(), c.secretFile() == null ? null : base.resolve(c.secretFile()), c.mode(),
                    c.requireMessageAuthenticator())).toList(), threads, perClient, perUser, passwordPerStation);
        }
    }

    /**
     * A NAS allowed to ask: {@code address} is an IP address or CIDR block; {@code mode} is {@code challenge}
     * (password, then the code at a prompt), {@code otp-only} (the code alone: PAM checked the password) or
     * {@code concatenated} (password followed by the code in one field).
     */
    public record RadiusClient(String name, String address, Path secretFile, String mode,
                               boolean requireMessageAuthenticator) {
        public static final String CHALLENGE = "challenge";
        public static final String OTP_ONLY = "otp-only";
        public static final String CONCATENATED = "concatenated";

        public RadiusClient {
            mode = mode == null ? CHALLENGE : mode;
            if (!List.of(CHALLENGE, OTP_ONLY, CONCATENATED).contains(mode)) {
                throw new IllegalArgumentException("radius client mode must be challenge, otp-only or concatenated, not "
                        + mode);
            }
            if (name == null || name.isBlank() || address == null || secretFile == null) {
                throw new IllegalArgumentException("each radius client needs name, address and secretFile");
            }
        }
    }

    public record Tokens(int lifetimeDays, int maxPerUser, int activateWithinSeconds) {
        public Tokens {
            lifetimeDays = lifetimeDays <= 0 ? 730 : lifetimeDays;
            maxPerUser = maxPerUser <= 0 ? 5 : maxPerUser;
            activateWithinSeconds = activateWithinSeconds <= 0 ? 600 : activateWithinSeconds;
        }
    }

    public String host() {
        return listen.substring(0, listen.lastIndexOf(':')).replace("[", "").replace("]", "");
    }

    public int port() {
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }

    public ServerConfig withListen(String newListen) {
        return new ServerConfig(newListen, allowPlainHttp, tls, dataDir, issuer, users, sms, serviceKeyFile, limits,
                tokens, sessionIdleMinutes, sessionMaxHours, trustedProxies, radius, store, metrics, notifications, mail);
    }

    public ServerConfig withLimits(Limits newLimits) {
        return new ServerConfig(listen, allowPlainHttp, tls, dataDir, issuer, users, sms, serviceKeyFile, newLimits,
                tokens, sessionIdleMinutes, sessionMaxHours, trustedProxies, radius, store, metrics, notifications, mail);
    }

    public ServerConfig withTrustedProxies(List<String> proxies) {
        return new ServerConfig(listen, allowPlainHttp, tls, dataDir, issuer, users, sms, serviceKeyFile, limits,
                tokens, sessionIdleMinutes, sessionMaxHours, proxies, radius, store, metrics, notifications, mail);
    }

    public ServerConfig withUsers(Users newUsers) {
        return new ServerConfig(listen, allowPlainHttp, tls, dataDir, issuer, newUsers, sms, serviceKeyFile, limits,
                tokens, sessionIdleMinutes, sessionMaxHours, trustedProxies, radius, store, metrics, notifications, mail);
    }

    public ServerConfig withStore(Store newStore) {
        return new ServerConfig(listen, allowPlainHttp, tls, dataDir, issuer, users, sms, serviceKeyFile, limits,
                tokens, sessionIdleMinutes, sessionMaxHours, trustedProxies, radius, newStore, metrics, notifications, mail);
    }

    public ServerConfig withSms(Sms newSms) {
        return new ServerConfig(listen, allowPlainHttp, tls, dataDir, issuer, users, newSms, serviceKeyFile, limits,
                tokens, sessionIdleMinutes, sessionMaxHours, trustedProxies, radius, store, metrics, notifications, mail);
    }

    public ServerConfig withMetrics(MetricsConfig newMetrics) {
        return new ServerConfig(listen, allowPlainHttp, tls, dataDir, issuer, users, sms, serviceKeyFile, limits,
                tokens, sessionIdleMinutes, sessionMaxHours, trustedProxies, radius, store, newMetrics, notifications, mail);
    }

    public ServerConfig withNotifications(NotifyConfig newNotifications, MailConfig newMail) {
        return new ServerConfig(listen, allowPlainHttp, tls, dataDir, issuer, users, sms, serviceKeyFile, limits,
                tokens, sessionIdleMinutes, sessionMaxHours, trustedProxies, radius, store, metrics, newNotifications, newMail);
    }

    public ServerConfig withRadius(Radius newRadius) {
        return new ServerConfig(listen, allowPlainHttp, tls, dataDir, issuer, users, sms, serviceKeyFile, limits,
                tokens, sessionIdleMinutes, sessionMaxHours, trustedProxies, newRadius, store, metrics, notifications, mail);
    }

    public static ServerConfig load(Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // "url: ldaps://a" and "phone: mobile" as well as lists of them
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
        ServerConfig config = yaml.readValue(file.toFile(), ServerConfig.class);
        // relative paths in the file are relative to the file, not to wherever the service was started
        Path base = file.toAbsolutePath().getParent();
        return config.resolvedAgainst(base);
    }

    ServerConfig resolvedAgainst(Path base) {
        Tls t = tls == null ? null : new Tls(base.resolve(tls.keystore()), tls.password(), tls.type());
        return new ServerConfig(listen, allowPlainHttp, t, base.resolve(dataDir), issuer,
                users.resolvedAgainst(base),
                new Sms(sms.type(), sms.file() == null ? null : base.resolve(sms.file()), sms.http(), sms.template()),
                serviceKeyFile == null ? null : base.resolve(serviceKeyFile), limits, tokens, sessionIdleMinutes,
                sessionMaxHours, trustedProxies, radius == null ? null : radius.resolvedAgainst(base),
                store.resolvedAgainst(base), metrics, notifications, mail == null ? null : mail.resolvedAgainst(base));
    }

    @Override
    public String toString() {
        return "ServerConfig[listen=" + listen + ", tls=" + (tls != null) + ", dataDir=" + dataDir + ", issuer="
                + issuer + ", sms=" + sms.type() + ", radius=" + (radius != null) + ", store=" + store.type()
                + ", metrics=" + (metrics != null ? metrics.listen() : "off") + "]";
    }
}
