package se.lu.lunarc.otp.server.http;

import se.lu.lunarc.otp.server.Backend;
import se.lu.lunarc.otp.server.errors.ProblemException;
import se.lu.lunarc.otp.server.net.AddressBlock;
import se.lu.lunarc.otp.server.signin.PhoneMask;
import se.lu.lunarc.otp.server.tokens.TokenNames;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.HumanProof;
import se.lu.lunarc.otp.api.Me;
import se.lu.lunarc.otp.api.Problem;
import se.lu.lunarc.otp.api.Requests;
import se.lu.lunarc.otp.api.SessionList;
import se.lu.lunarc.otp.api.TokenList;
import se.lu.lunarc.otp.server.users.User;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;

/** The table of API v1 operations: parse the request, call the service, write the answer. */
final class ApiRoutes {
    static final String BASE = "/api/v1";
    /** How long {@code /health} waits for its probe before it says 503: a load balancer's check times out soon. */
    static final java.time.Duration HEALTH_WAIT = java.time.Duration.ofMillis(1500);

    private final Backend b;
    private final ObjectMapper json;
    private final List<AddressBlock> trustedProxies;

    ApiRoutes(Backend backend, ObjectMapper json) {
        this.b = backend;
        this.json = json;
        this.trustedProxies = backend.config().trustedProxies().stream()
                .map(p -> AddressBlock.parse(p, "trustedProxies")).toList();
    }

    // bodies that carry secrets: the password as char[] so it can be wiped after checking
    record LoginBody(String username, char[] password, HumanProof humanProof) {}

    record CodeBody(String code) {}

    record ResyncBody(String code1, String code2) {}

    record HardwareBody(String serial, String code, String name) {}

    record ValidateBody(String username, String code, String source) {}

    List<ApiRoute> all() {
        return List.of(
                // for a load balancer or keepalived: 200 only when a request could be served and recorded here
                // for a load balancer or keepalived: 200 only when a request could be served and recorded here,
                // and 503 within HEALTH_WAIT even when the store holds a connection attempt for much longer
                new ApiRoute(GET, BASE + "/health", ctx -> {
                    if (!b.health().ready(HEALTH_WAIT)) {
                        throw new ProblemException(Problem.of(503, ErrorCode.SERVICE_UNAVAILABLE, "Not ready",
                                "This node cannot serve requests now: its store or its audit log is not answering.")
                                .withRetryAfter(10));
                    }
                    ctx.json(se.lu.lunarc.otp.api.Health.OK);
                }),
                new ApiRoute(GET, BASE + "/human-check", ctx -> {
                    b.humanChecksPerAddress().take(address(ctx), "human checks");
                    ctx.header("Cache-Control", "no-store").json(b.humanCheck().newChallenge());
                }),
                new ApiRoute(POST, BASE + "/login", ctx -> {
                    LoginBody body = body(ctx, LoginBody.class);
                    Arrays.fill(ctx.bodyAsBytes(), (byte) 0); // Javalin keeps the raw body; wipe its copy too
                    try {
                        ctx.status(202).json(b.logins().start(body.username(), body.password(), body.humanProof(),
                                address(ctx)));
                    } finally {
                        if (body.password() != null) {
                            Arrays.fill(body.password(), '\0');
                        }
                    }
                }),
                new ApiRoute(POST, BASE + "/login/{loginId}/code", ctx -> ctx.json(
                        b.logins().verifyCode(ctx.pathParam("loginId"), body(ctx, CodeBody.class).code(), address(ctx)))),
                new ApiRoute(POST, BASE + "/login/{loginId}/resend", ctx -> ctx.status(202).json(
                        b.logins().resend(ctx.pathParam("loginId"), address(ctx)))),
                new ApiRoute(POST, BASE + "/logout", ctx -> {
                    String user = user(ctx);
                    b.sessions().close(bearer(ctx));
                    b.audit().record("logout", user, address(ctx));
                    ctx.status(204);
                }),
                new ApiRoute(GET, BASE + "/sessions", ctx -> ctx.json(new SessionList(b.sessions().list(bearer(ctx))))),
                new ApiRoute(DELETE, BASE + "/sessions/{id}", ctx -> {
                    String user = user(ctx);
                    if (!b.sessions().end(bearer(ctx), ctx.pathParam("id"))) {
                        throw new ProblemException(404, ErrorCode.NOT_FOUND, "No such session",
                                "This session does not exist (it may have ended already). Reload the list.");
                    }
                    b.audit().record("session_ended", user, address(ctx));
                    ctx.status(204);
                }),
                new ApiRoute(GET, BASE + "/me", ctx -> {
                    User u = b.users().find(user(ctx)).orElseThrow(() -> new ProblemException(401,
                            ErrorCode.SESSION_EXPIRED, "Session expired", "Your account is no longer known. Sign in again."));
                    ctx.json(new Me(u.username(), u.displayName(), u.email(),
                            u.mobile() == null ? null : PhoneMask.mask(u.mobile()), u.affiliation()));
                }),
                new ApiRoute(GET, BASE + "/tokens", ctx -> ctx.json(new TokenList(b.tokens().list(user(ctx))))),
                new ApiRoute(POST, BASE + "/tokens", ctx -> {
                    String user = user(ctx);
                    ctx.status(201).json(b.tokens().create(user, body(ctx, Requests.Name.class).name(), address(ctx)));
                }),
                new ApiRoute(POST, BASE + "/tokens/hardware", ctx -> {
                    String user = user(ctx);
                    HardwareBody body = body(ctx, HardwareBody.class);
                    String name = body.name() == null ? null : TokenNames.validated(body.name());
                    ctx.status(201).json(b.hardware().register(user, body.serial(), body.code(), name, address(ctx)));
                }),
                new ApiRoute(POST, BASE + "/tokens/{id}/activate", ctx -> {
                    String user = user(ctx);
                    ctx.json(b.tokens().activate(user, ctx.pathParam("id"), body(ctx, CodeBody.class).code(), address(ctx)));
                }),
                new ApiRoute(PATCH, BASE + "/tokens/{id}", ctx -> {
                    String user = user(ctx);
                    ctx.json(b.tokens().rename(user, ctx.pathParam("id"), body(ctx, Requests.Name.class).name(),
                            address(ctx)));
                }),
                new ApiRoute(POST, BASE + "/tokens/{id}/disable", ctx -> ctx.json(
                        b.tokens().setEnabled(user(ctx), ctx.pathParam("id"), false, address(ctx)))),
                new ApiRoute(POST, BASE + "/tokens/{id}/enable", ctx -> ctx.json(
                        b.tokens().setEnabled(user(ctx), ctx.pathParam("id"), true, address(ctx)))),
                new ApiRoute(POST, BASE + "/tokens/{id}/resync", ctx -> {
                    String user = user(ctx);
                    ResyncBody body = body(ctx, ResyncBody.class);
                    ctx.json(b.tokens().resync(user, ctx.pathParam("id"), body.code1(), body.code2(), address(ctx)));
                }),
                new ApiRoute(DELETE, BASE + "/tokens/{id}", ctx -> {
                    b.tokens().revoke(user(ctx), ctx.pathParam("id"), address(ctx));
                    ctx.status(204);
                }),
                new ApiRoute(POST, BASE + "/validate", ctx -> ctx.json(b.metrics().timeValidate(() -> {
                    b.validate().requireServiceKey(ctx.header("X-Service-Key"), address(ctx));
                    ValidateBody body = body(ctx, ValidateBody.class);
                    return b.validate().validate(body.username(), body.code(), body.source(), address(ctx));
                }))));
    }

    private String user(Context ctx) {
        return b.sessions().require(bearer(ctx));
    }

    private static String bearer(Context ctx) {
        String h = ctx.header("Authorization");
        return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
    }

    /**
     * The client's address. Behind proxies listed in {@code trustedProxies} it comes from X-Forwarded-For, read
     * right to left: each trusted proxy vouches only for the hop before it, so the first address that is not a
     * trusted proxy is the client, and whatever the client itself wrote further left is ignored.
     */
    private String address(Context ctx) {
        String remote = ctx.req().getRemoteAddr();
        if (trustedProxies.isEmpty() || !isTrustedProxy(AddressBlock.literal(remote))) {
            return remote;
        }
        List<String> hops = new java.util.ArrayList<>();
        for (String header : java.util.Collections.list(ctx.req().getHeaders("X-Forwarded-For"))) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        String client = remote;
        for (int i = hops.size() - 1; i >= 0; i--) {
            java.net.InetAddress hop = AddressBlock.literal(hops.get(i));
            if (hop == null) {
                break; // not an address: nothing left of it can be trusted
            }
            client = hop.getHostAddress();
            if (!isTrustedProxy(hop)) {
                break;
            }
        }
        return client;
    }

    private boolean isTrustedProxy(java.net.InetAddress a) {
        return a != null && trustedProxies.stream().anyMatch(p -> p.contains(a));
    }

    private <T> T body(Context ctx, Class<T> type) {
        try {
            T value = json.readValue(ctx.bodyAsBytes(), type);
            if (value == null) {
                throw new IOException("empty body");
            }
            return value;
        } catch (IOException e) {
            // Jackson's message may quote the input, which may be a password: say only what was expected
            throw new ProblemException(400, ErrorCode.BAD_REQUEST, "Bad request",
                    "The request body is not the JSON this operation expects.");
        }
    }
}
