package se.lu.lunarc.otp.server.users;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.OperationType;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.PEMFileTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.lu.lunarc.otp.server.secrets.ConfigFiles;
import se.lu.lunarc.otp.server.net.InetAddressCheck;
import se.lu.lunarc.otp.server.ServerConfig;

import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStoreException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Users from the site's LDAP directory (the UnboundID LDAP SDK). A user is found by {@code userFilter} under
 * {@code baseDn} over a pool bound as the service account (or anonymous); her password is checked by binding as
 * her own entry, on a second pool that returns to anonymous after each check, so the server never reads
 * {@code userPassword}. An empty password is refused before any bind: LDAP takes a simple bind with a DN and no
 * password as an unauthenticated bind, which "succeeds" (RFC 4513 §5.1.2). Several URLs fail over in order.
 */
public final class LdapUserDirectory implements UserDirectory {
    private static final Logger log = LoggerFactory.getLogger(LdapUserDirectory.class);

    private final LdapConfig config;
    private final MobileNumbers numbers;
    private final LDAPConnectionPool searches;
    private final LDAPConnectionPool binds;
    private final Filter allowed;
    private final String[] attributes;
    /** The directory's calls: as many as both pools have connections, and a short queue behind them. */
    private final java.util.concurrent.ThreadPoolExecutor calls;

    public LdapUserDirectory(LdapConfig config, MobileNumbers numbers) throws IOException,
            GeneralSecurityException, LDAPException {
        this.config = config;
        this.numbers = numbers;
        this.allowed = config.allowedFilter() == null ? null : Filter.create(config.allowedFilter());
        Filter.create(config.userFilter().replace("{0}", "x")); // refuses a broken filter at start, not at sign-in
        this.attributes = config.attributes().values().stream().flatMap(List::stream).distinct().toArray(String[]::new);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        this.calls = new java.util.concurrent.ThreadPoolExecutor(2 * config.poolSize(), 2 * config.poolSize(), 30,
                java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(
                        8 * config.poolSize()), r -> {
                    Thread t = new Thread(r, "directory-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new java.util.concurrent.ThreadPoolExecutor.AbortPolicy());
        calls.allowCoreThreadTimeOut(true);

        List<LDAPURL> urls = urls(config);
        boolean ldaps = urls.get(0).getScheme().equals("ldaps");
        SSLContext tls = tlsContext(config);
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(config.timeoutSeconds() * 1000);
        options.setResponseTimeoutMillis(config.timeoutSeconds() * 1000L);
        options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        SocketFactory sockets = ldaps ? tls.getSocketFactory() : SocketFactory.getDefault();
        PostConnectProcessor startTls = config.startTls() ? new StartTLSPostConnectProcessor(tls) : null;
        String[] hosts = urls.stream().map(LDAPURL::getHost).toArray(String[]::new);
        int[] ports = urls.stream().mapToInt(LDAPURL::getPort).toArray();
        FailoverServerSet servers = new FailoverServerSet(hosts, ports, sockets, options);

        BindRequest service = null;
        if (config.bindDn() != null) {
            // kept for the pool's life: each new connection binds with it; a trailing newline is not the password's
            byte[] password = ConfigFiles.readString(config.bindPasswordFile(), "users.ldap.bindPasswordFile").strip()
                    .getBytes(StandardCharsets.UTF_8);
            service = new SimpleBindRequest(config.bindDn(), password);
            checkServiceBind(servers, service);
        }
        // the directory may be down when the service starts: it answers 503 until the directory is back
        this.searches = new LDAPConnectionPool(servers, service, 1, config.poolSize(), startTls, false);
        this.binds = new LDAPConnectionPool(servers, null, 1, config.poolSize(), startTls, false);
        for (LDAPConnectionPool pool : List.of(searches, binds)) {
            pool.setRetryFailedOperationsDueToInvalidConnections(EnumSet.of(OperationType.SEARCH, OperationType.BIND));
            pool.setMaxWaitTimeMillis(config.timeoutSeconds() * 1000L);
            pool.setConnectionPoolName("lunarc-otp users");
        }
    }

    /**
     * Binds once as the service account at start: a directory that refuses it (a wrong DN or password) stops the
     * start with a message saying so, instead of a server whose every sign-in answers "not answering". A directory
     * that cannot be reached does not stop it: sign-ins get 503 until the directory is back.
     */
    private void checkServiceBind(FailoverServerSet servers, BindRequest service) {
        try (com.unboundid.ldap.sdk.LDAPConnection c = servers.getConnection()) {
            c.bind(service);
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS || e.getResultCode() == ResultCode.INVALID_DN_SYNTAX
                    || e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                String said = refusedBind();
                log.error(said);
                throw new IllegalArgumentException(said);
            }
            log.warn("account directory: not reachable at start ({}); sign-ins answer \"not answering\" until it is",
                    e.getResultCode());
        }
    }

    private String refusedBind() {
        return "the account directory refused the service account's bind: users.ldap.bindDn " + config.bindDn()
                + " with the password in " + config.bindPasswordFile() + " is not accepted. Check the DN and the "
                + "password (a trailing newline in the file is ignored); the server did not start";
    }

    static List<LDAPURL> urls(LdapConfig config) throws LDAPException {
        List<LDAPURL> urls = new java.util.ArrayList<>();
        for (String u : config.url()) {
            LDAPURL url = new LDAPURL(u);
            boolean ldaps = url.getScheme().equals("ldaps");
            if (!ldaps && !config.startTls() && !InetAddressCheck.isLoopback(url.getHost())) {
                throw new IllegalArgumentException("refusing plain " + u + ": users' passwords would cross the "
                        + "network in the clear; use ldaps:// or startTls: true");
            }
            if (ldaps && config.startTls()) {
                throw new IllegalArgumentException("users.ldap: startTls is for ldap:// URLs, not " + u);
            }
            urls.add(url);
        }
        if (urls.stream().map(LDAPURL::getScheme).distinct().count() > 1) {
            throw new IllegalArgumentException("users.ldap.url: all URLs must be ldaps://, or all ldap://");
        }
        return urls;
    }

    private static SSLContext tlsContext(LdapConfig config) throws GeneralSecurityException {
        TrustManager trust;
        try {
            trust = config.caBundle() != null ? new PEMFileTrustManager(config.caBundle().toFile())
                    : JVMDefaultTrustManager.getInstance();
        } catch (KeyStoreException e) {
            throw new IllegalArgumentException("users.ldap.caBundle " + config.caBundle() + ": not a PEM file of "
                    + "certificates");
        }
        return new SSLUtil(trust).createSSLContext("TLSv1.2");
    }

    @Override
    public Optional<User> find(String username) {
        return withinTimeout("search", () -> entry(username).map(this::user));
    }

    @Override
    public Authentication authenticate(String username, char[] password) {
        if (password == null || password.length == 0) {
            return Authentication.refused(Authentication.WRONG_PASSWORD); // never an unauthenticated bind
        }
        // the check's own copy: a caller whose wait is over wipes its array while the directory may still be asked
        char[] copy = password.clone();
        try {
            return withinTimeout("password check", () -> check(username, copy));
        } finally {
            Arrays.fill(copy, '\0');
        }
    }

    /**
     * Runs one call to the directory (which may take several operations, and a retry on a fresh connection) on the
     * directory's own threads, and waits for it at most {@code timeoutSeconds}: a directory that stops answering is
     * "not answering" within the time the configuration says, not after each operation's timeout in turn. A call
     * given up on ends by its operations' own timeouts; when all threads are taken the answer is at once.
     */
    private <T> T withinTimeout(String what, java.util.concurrent.Callable<T> call) {
        java.util.concurrent.Future<T> answer;
        try {
            answer = calls.submit(call);
        } catch (java.util.concurrent.RejectedExecutionException busy) {
            throw new DirectoryUnavailable("account directory " + what + ": too many calls waiting for it");
        }
        try {
            return answer.get(config.timeoutSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException late) {
            answer.cancel(true);
            log.warn("account directory: {} not answered within {} s", what, config.timeoutSeconds());
            throw new DirectoryUnavailable("account directory " + what + ": no answer within "
                    + config.timeoutSeconds() + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DirectoryUnavailable("account directory " + what + ": interrupted");
        }
    }

    private Authentication check(String username, char[] password) {
        Optional<SearchResultEntry> entry = entry(username);
        // an unknown user costs a bind too, to an entry that cannot exist, so that timing does not tell
        String dn = entry.map(SearchResultEntry::getDN).orElse("cn=no such user " + java.util.UUID.randomUUID()
                + "," + config.baseDn());
        boolean bound = bind(dn, password);
        // asked whatever the bind said, so that every refusal costs the same round trips to the directory
        boolean allowedIn = isAllowed(dn);
        if (entry.isEmpty()) {
            return Authentication.refused(Authentication.UNKNOWN_USER);
        }
        if (!bound) {
            return Authentication.refused(Authentication.WRONG_PASSWORD);
        }
        if (!allowedIn) {
            return Authentication.refused(Authentication.NOT_ALLOWED);
        }
        return Authentication.ok(user(entry.get()));
    }

    /**
     * The user's entry, found by the configured filter with the username escaped; empty unless exactly one, and
     * unless it has a name usable as the account's identity (see {@link #identity}).
     */
    private Optional<SearchResultEntry> entry(String username) {
        return search(username).filter(e -> identity(e) != null);
    }

    private Optional<SearchResultEntry> search(String username) {
        if (username == null || username.isEmpty()) {
            return Optional.empty();
        }
        String filter = config.userFilter().replace("{0}", Filter.encodeValue(username));
        try {
            SearchRequest search = new SearchRequest(config.baseDn(), SearchScope.SUB, Filter.create(filter), attributes);
            search.setSizeLimit(2);
            search.setTimeLimitSeconds(config.timeoutSeconds());
            SearchResult result = searches.search(search);
            return result.getEntryCount() == 1 ? Optional.of(result.getSearchEntries().get(0)) : Optional.empty();
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED || e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return Optional.empty(); // two entries for one name, or no base: nobody to sign in
            }
            throw unavailable("search", e);
        }
    }

    private boolean bind(String dn, char[] password) {
        byte[] bytes = utf8(password);
        try {
            binds.bindAndRevertAuthentication(new SimpleBindRequest(dn, bytes));
            return true;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS || e.getResultCode() == ResultCode.INVALID_DN_SYNTAX
                    || e.getResultCode() == ResultCode.UNWILLING_TO_PERFORM
                    || e.getResultCode() == ResultCode.INAPPROPRIATE_AUTHENTICATION) {
                return false;
            }
            throw unavailable("bind", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Whether the entry matches {@code allowedFilter}, asked of the directory (group membership lives there). */
    private boolean isAllowed(String dn) {
        if (allowed == null) {
            return true;
        }
        try {
            SearchRequest check = new SearchRequest(dn, SearchScope.BASE, allowed, "1.1");
            check.setTimeLimitSeconds(config.timeoutSeconds());
            return searches.search(check).getEntryCount() == 1;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return false;
            }
            throw unavailable("allowed check", e);
        }
    }

    /** The user, named by the entry's own identity: her tokens, sessions and limits are kept under it. */
    private User user(SearchResultEntry e) {
        return new User(identity(e), first(e, "displayName"), first(e, "email"), numbers.e164(first(e, "phone")),
                first(e, "affiliation"), null, first(e, "language"));
    }

    /**
     * The account's name as the directory stores it, whatever case (or, with a filter over several attributes,
     * whichever attribute) the user typed: the naming attribute's value in the entry's own DN when the DN is made
     * of it ({@code uid=alice,ou=people,…}), else the attribute's one value. Null, and the entry is nobody, when
     * the attribute has several values outside the DN (one person would be several accounts) or a value that is
     * not a username.
     */
    private String identity(SearchResultEntry e) {
        String attribute = config.attributes().get("username").get(0);
        String name = null;
        try {
            com.unboundid.ldap.sdk.RDN rdn = e.getParsedDN().getRDN();
            for (int i = 0; i < rdn.getAttributeNames().length; i++) {
                if (rdn.getAttributeNames()[i].equalsIgnoreCase(attribute)) {
                    name = rdn.getAttributeValues()[i];
                }
            }
        } catch (LDAPException unparsable) {
            // the directory's own DN: left to the attribute below
        }
        if (name == null) {
            String[] values = e.getAttributeValues(attribute);
            name = values != null && values.length == 1 ? values[0] : null;
        }
        if (name == null || !se.lu.lunarc.otp.api.Usernames.isValid(name)) {
            log.warn("account directory: an entry matched the user filter but has no single {} that is a valid "
                    + "username; nobody can sign in with it (users.ldap.attributes.username)", attribute);
            return null;
        }
        return name;
    }

    private String first(SearchResultEntry e, String field) {
        return first(e, field, config.attributes().get(field));
    }

    private static String first(SearchResultEntry e, String field, List<String> names) {
        if (names == null) {
            return null;
        }
        for (String name : names) {
            String v = e.getAttributeValue(name);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private DirectoryUnavailable unavailable(String what, LDAPException e) {
        // the result code only: the diagnostic message may quote the filter, and so the username
        if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
            // the search pool's new connection could not bind: the service account's password changed meanwhile
            log.error("account directory: {} failed: the directory refused the service account's bind "
                    + "(users.ldap.bindDn {}, password in {}); every sign-in fails until it is fixed", what,
                    config.bindDn(), config.bindPasswordFile());
        } else {
            log.warn("account directory: {} failed: {}", what, e.getResultCode());
        }
        return new DirectoryUnavailable("account directory " + what + ": " + e.getResultCode());
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        if (b.hasArray()) {
            Arrays.fill(b.array(), (byte) 0);
        }
        return out;
    }

    @Override
    public void close() {
        calls.shutdownNow();
        searches.close();
        binds.close();
    }
}
