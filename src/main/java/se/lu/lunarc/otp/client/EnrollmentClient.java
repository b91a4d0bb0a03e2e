package se.lu.lunarc.otp.client;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import se.lu.lunarc.otp.api.ApiJson;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.HumanChallenge;
import se.lu.lunarc.otp.api.HumanProof;
import se.lu.lunarc.otp.api.LoginStarted;
import se.lu.lunarc.otp.api.Me;
import se.lu.lunarc.otp.api.SessionStarted;
import se.lu.lunarc.otp.api.SmsInfo;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.api.TokenList;
import se.lu.lunarc.otp.api.ValidateResult;
import se.lu.lunarc.otp.client.ApiException.Kind;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * API v1 for the wizard: one blocking method per operation (call it off the UI thread), typed answers, and an
 * {@link ApiException} for every failure. Holds the session token itself, so callers never handle it.
 */
public final class EnrollmentClient implements AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json");

    /** The service's nodes, in the order to try them; {@link #current} is the one that answered last. */
    private final List<HttpUrl> bases;
    private volatile int current;
    private final OkHttpClient http;
    private final ObjectMapper json = ApiJson.newMapper();
    private volatile String sessionToken;

    public EnrollmentClient(ClientOptions options) throws ApiException {
        this(options, okhttp3.Dns.SYSTEM);
    }

    /** With the name resolver given: the system's, or in tests one that gives a name several addresses. */
    EnrollmentClient(ClientOptions options, okhttp3.Dns dns) throws ApiException {
        List<HttpUrl> nodes = new java.util.ArrayList<>();
        nodes.add(apiBase(options.server()));
        for (java.net.URI other : options.otherServers()) {
            nodes.add(apiBase(other));
        }
        this.bases = List.copyOf(nodes);
        RefusingAddressesLast addresses = new RefusingAddressesLast(dns);
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(options.connectTimeout())
                .readTimeout(options.readTimeout())
                .writeTimeout(options.readTimeout())
                .callTimeout(options.connectTimeout().plus(options.readTimeout()))
                .proxySelector(new EnvProxySelector(options.environment()))
                .followRedirects(false)
                .dns(addresses)
                .eventListener(addresses)
                .retryOnConnectionFailure(false); // a retried POST could send a second SMS or spend a code twice
        try {
            X509TrustManager trust = TrustBundle.systemPlus(options.caBundle());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new X509TrustManager[] {trust}, null);
            b.sslSocketFactory(tls.getSocketFactory(), trust);
        } catch (Exception e) {
            throw ApiException.of(Kind.TLS, "The CA bundle " + options.caBundle() + " cannot be read.",
                    e.getClass().getSimpleName(), null);
        }
        this.http = b.build();
    }

    private static HttpUrl apiBase(java.net.URI server) throws ApiException {
        HttpUrl url = HttpUrl.parse(server == null ? "" : server.toString());
        if (url == null) {
            throw ApiException.of(Kind.INSECURE_URL, "The server address is not a valid http(s) URL.",
                    String.valueOf(server), null);
        }
        if (!url.isHttps() && !LoopbackHosts.isLoopback(url.host())) {
            throw ApiException.of(Kind.INSECURE_URL, "The server address must start with https:// (plain http is "
                    + "only allowed to this computer).", url.toString(), null);
        }
        return url.newBuilder().encodedPath("/api/v1/").build();
    }

    public HumanChallenge humanCheck() throws ApiException {
        return call("GET", "human-check", null, HumanChallenge.class);
    }

    /** Step 1. The password is read from the array and not kept; the caller wipes its array afterwards. */
    public LoginStarted login(String username, char[] password, HumanProof proof) throws ApiException {
        return call("POST", "login", loginBody(username, password, proof, new WipedBytes()), LoginStarted.class,
                null);
    }

    /**
     * The sign-in's body, written by hand into {@code out} and returned as a copy the caller wipes once it is sent;
     * {@code out} is wiped before this returns. (A JSON generator's own buffers, which are recycled, would keep the
     * password; so would a plain ByteArrayOutputStream's.)
     */
    static byte[] loginBody(String username, char[] password, HumanProof proof, WipedBytes out) throws ApiException {
        try {
            out.ascii("{\"username\":");
            out.jsonString(username.toCharArray());
            out.ascii(",\"password\":");
            out.jsonString(password);
            out.ascii(",\"humanProof\":");
            out.write(ApiJsonHolder.MAPPER.writeValueAsBytes(proof));
            out.ascii("}");
            return out.toByteArray();
        } catch (IOException e) {
            throw ApiException.of(Kind.BAD_RESPONSE, "The request could not be written.", e.getClass().getSimpleName(),
                    null);
        } finally {
            out.wipe();
        }
    }

    /** The API's JSON for what carries no secret (the human check's proof). */
    private static final class ApiJsonHolder {
        static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = se.lu.lunarc.otp.api.ApiJson.newMapper();
    }

    /** Step 2: the SMS code; on success this client holds the session. Returns the idle timeout. */
    public Duration submitCode(String loginId, String code) throws ApiException {
        SessionStarted s = call("POST", "login/" + segment(loginId) + "/code", g -> field(g, "code", code),
                SessionStarted.class);
        this.sessionToken = s.sessionToken();
        return Duration.ofSeconds(s.expiresInSeconds());
    }

    public SmsInfo resend(String loginId) throws ApiException {
        return call("POST", "login/" + segment(loginId) + "/resend", g -> { }, SmsInfo.class);
    }

    public boolean hasSession() {
        return sessionToken != null;
    }

    public Me me() throws ApiException {
        return call("GET", "me", null, Me.class);
    }

    public List<Token> tokens() throws ApiException {
        return call("GET", "tokens", null, TokenList.class).tokens();
    }

    public CreatedToken createToken(String name) throws ApiException {
        return call("POST", "tokens", g -> field(g, "name", name), CreatedToken.class);
    }

    public Token activate(String tokenId, String code) throws ApiException {
        return call("POST", "tokens/" + segment(tokenId) + "/activate", g -> field(g, "code", code), Token.class);
    }

    /** Registers the hardware token with this serial number, by the code it shows now; it is active at once. */
    public Token registerHardwareToken(String serial, String code) throws ApiException {
        return registerHardwareToken(serial, code, null);
    }

    /** The same, with the display name the user chose ({@code null}: the server's "Hardware token SERIAL"). */
    public Token registerHardwareToken(String serial, String code, String name) throws ApiException {
        return call("POST", "tokens/hardware", g -> {
            field(g, "serial", serial);
            field(g, "code", code);
            if (name != null) {
                field(g, "name", name);
            }
        }, Token.class);
    }

    public Token rename(String tokenId, String name) throws ApiException {
        return call("PATCH", "tokens/" + segment(tokenId), g -> field(g, "name", name), Token.class);
    }

    public Token disable(String tokenId) throws ApiException {
        return call("POST", "tokens/" + segment(tokenId) + "/disable", g -> { }, Token.class);
    }

    public Token enable(String tokenId) throws ApiException {
        return call("POST", "tokens/" + segment(tokenId) + "/enable", g -> { }, Token.class);
    }

    public Token resync(String tokenId, String code1, String code2) throws ApiException {
        return call("POST", "tokens/" + segment(tokenId) + "/resync", g -> {
            field(g, "code1", code1);
            field(g, "code2", code2);
        }, Token.class);
    }

    public void revoke(String tokenId) throws ApiException {
        call("DELETE", "tokens/" + segment(tokenId), null, Void.class);
    }

    public void logout() throws ApiException {
        try {
            call("POST", "logout", g -> { }, Void.class);
        } finally {
            sessionToken = null;
        }
    }

    /** The user's signed-in sessions. */
    public java.util.List<se.lu.lunarc.otp.api.SessionInfo> sessions() throws ApiException {
        return call("GET", "sessions", null, se.lu.lunarc.otp.api.SessionList.class).sessions();
    }

    /** Ends one of the user's sessions (another one, or this one). */
    public void endSession(String id) throws ApiException {
        call("DELETE", "sessions/" + segment(id), null, Void.class);
    }

    /** The cluster login's call, with the service key; not used by the wizard. */
    public ValidateResult validate(String serviceKey, String username, String code) throws ApiException {
        return validate(serviceKey, username, code, null);
    }

    /** With {@code source}, where the user logs in from (wrong codes slow each source down on its own). */
    public ValidateResult validate(String serviceKey, String username, String code, String source)
            throws ApiException {
        return call("POST", "validate", g -> {
            field(g, "username", username);
            field(g, "code", code);
            if (source != null) {
                field(g, "source", source);
            }
        }, ValidateResult.class, serviceKey);
    }

    interface BodyWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private <T> T call(String method, String path, BodyWriter body, Class<T> type) throws ApiException {
        return call(method, path, body, type, null);
    }

    private <T> T call(String method, String path, BodyWriter body, Class<T> type, String serviceKey)
            throws ApiException {
        return call(method, path, body == null ? null : write(body), type, serviceKey);
    }

    /** {@code bytes}, the body, are wiped once the request is done. */
    private <T> T call(String method, String path, byte[] bytes, Class<T> type, String serviceKey)
            throws ApiException {
        Request.Builder rb = new Request.Builder()
                .header("Accept", "application/json, application/problem+json")
                .method(method, bytes == null ? null : RequestBody.create(bytes, JSON));
        String token = sessionToken;
        if (token != null) {
            rb.header("Authorization", "Bearer " + token);
        }
        if (serviceKey != null) {
            rb.header("X-Service-Key", serviceKey);
        }
        String what = method + " /api/v1/" + path.replaceAll("/[^/]{16,}", "/…");
        try {
            return failingOver(method, path, rb, type, what);
        } catch (InterruptedIOException e) {
            throw ApiException.of(Kind.TIMEOUT, "The server did not answer in time.", what, e);
        } catch (SSLException e) {
            throw ApiException.of(Kind.TLS, "A secure connection to the server could not be made (its certificate "
                    + "is not trusted, or is for another name).", what + ": " + e.getClass().getSimpleName(), e);
        } catch (ConnectException | UnknownHostException | NoRouteToHostException e) {
            throw ApiException.of(Kind.UNREACHABLE, "The server cannot be reached.",
                    what + ": " + e.getClass().getSimpleName(), e);
        } catch (IOException e) {
            throw ApiException.of(Kind.UNREACHABLE, "The connection to the server was interrupted.",
                    what + ": " + e.getClass().getSimpleName(), e);
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /**
     * Sends the request to the node that answered last, and to the next ones in turn while a node cannot be
     * reached. A node's name with several addresses (DNS round-robin) is tried at each of them, up to
     * {@value #ADDRESSES_PER_NODE}, while connections are refused ({@link RefusingAddressesLast}). A request that may change something (not a GET) goes elsewhere only when the connection was
     * refused or the name or route not found, so it was never sent: one whose answer was lost is not sent again,
     * since it may have sent an SMS or spent a code.
     */
    private <T> T failingOver(String method, String path, Request.Builder request, Class<T> type, String what)
            throws IOException, ApiException {
        int first = current;
        int node = first;
        int moves = 0;
        int refusedHere = 0;
        while (true) {
            HttpUrl url = bases.get(node).resolve(path);
            try (Response response = http.newCall(request.url(url).build()).execute()) {
                T value;
                try {
                    value = Answers.read(json, response, type, what);
                } catch (ApiException e) {
                    if (e.is(ErrorCode.SESSION_EXPIRED)) {
                        sessionToken = null; // the server has ended it: it is of no use any more
                    }
                    throw e;
                }
                current = node;
                return value;
            } catch (IOException e) {
                boolean refused = e instanceof ConnectException || e instanceof NoRouteToHostException;
                if (refused && ++refusedHere < addresses(url.host())) {
                    continue; // the same name, at its next address
                }
                boolean neverSent = refused || e instanceof UnknownHostException;
                if (++moves >= bases.size() || !(neverSent || "GET".equals(method))) {
                    throw e;
                }
                node = (first + moves) % bases.size();
                refusedHere = 0;
            }
        }
    }

    private static final int ADDRESSES_PER_NODE = 4;

    /** How many addresses {@code host} has, at most {@link #ADDRESSES_PER_NODE}; 1 when it cannot be told. */
    private int addresses(String host) {
        try {
            return Math.max(1, Math.min(ADDRESSES_PER_NODE, http.dns().lookup(host).size()));
        } catch (UnknownHostException e) {
            return 1;
        }
    }

    private byte[] write(BodyWriter body) throws ApiException {
        WipedBytes out = new WipedBytes();
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw ApiException.of(Kind.BAD_RESPONSE, "The request could not be written.", e.getClass().getSimpleName(), null);
        }
        try {
            return out.toByteArray();
        } finally {
            out.wipe();
        }
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        g.writeStringField(name, value);
    }


    private static String segment(String id) {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,128}")) {
            throw new IllegalArgumentException("not an identifier");
        }
        return id;
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "EnrollmentClient[" + bases + ", session=" + (sessionToken != null) + "]";
    }
}
