package se.lu.lunarc.otp.server.http;

import se.lu.lunarc.otp.server.Backend;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.errors.ProblemException;
import se.lu.lunarc.otp.server.errors.StoreUnavailable;
import se.lu.lunarc.otp.server.net.InetAddressCheck;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.lu.lunarc.otp.api.ApiJson;
import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.Problem;
import se.lu.lunarc.otp.server.audit.AuditLog;

import java.net.URI;
import java.util.List;

/**
 * API v1 over HTTP(S) on Javalin (Jetty): routing, JSON and problem+json answers. The rules live in
 * {@link Backend}'s services; this class only translates.
 */
public final class EnrollmentServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EnrollmentServer.class);
    static final String PROBLEM_JSON = "application/problem+json";
    private static final java.util.Set<String> CONTRACT_METHODS = java.util.Set.of("GET", "POST", "PATCH", "DELETE");

    private final Backend backend;
    private final ObjectMapper json = ApiJson.newMapper();
    private final Javalin app;
    private final boolean tls;
    private final List<ApiRoute> routes;

    private EnrollmentServer(Backend backend) {
        this.backend = backend;
        ServerConfig config = backend.config();
        this.tls = config.tls() != null;
        refusePlainHttpOffLoopback(config);
        this.routes = new ApiRoutes(backend, json).all();
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jsonMapper(new JavalinJackson(json, false));
            cfg.http.maxRequestSize = 64 * 1024L;
            cfg.http.prefer405over404 = true;
            ProblemErrorHandler errors = new ProblemErrorHandler(json, tls);
            cfg.jetty.modifyServer(server -> server.setErrorHandler(errors));
            cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(errors));
            cfg.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(8 * 1024); // request line and headers: well above any real client's
                http.setSendServerVersion(false);
            });
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            if (tls) {
                cfg.jetty.addConnector((server, httpConfig) -> {
                    SslContextFactory.Server ssl = new SslContextFactory.Server();
                    ssl.setKeyStorePath(config.tls().keystore().toString());
                    ssl.setKeyStorePassword(config.tls().password());
                    ssl.setKeyStoreType(config.tls().type());
                    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
                    ServerConnector https = new ServerConnector(server, ssl);
                    https.setHost(config.host());
                    https.setPort(config.port());
                    return https;
                });
            }
            cfg.routes.before(ctx -> {
                SecurityHeaders.apply(ctx::header, tls);
                // methods are case-sensitive (RFC 9110): "get" is not GET; HEAD and OPTIONS are not in the contract
                if (!CONTRACT_METHODS.contains(ctx.req().getMethod())) {
                    throw new HttpResponseException(405, "Method not allowed");
                }
                if (!"GET".equals(ctx.req().getMethod())) {
                    backend.audit().requireWritable();
                }
            });
            for (ApiRoute route : routes) {
                cfg.routes.addHttpHandler(route.method(), route.path(), route.handler());
            }
            cfg.routes.exception(ProblemException.class, (e, ctx) -> problem(ctx, e.problem()));
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, HttpProblems.forStatus(e.getStatus())));
            cfg.routes.exception(AuditLog.Unavailable.class, (e, ctx) -> problem(ctx, Problem.of(503,
                    ErrorCode.SERVICE_UNAVAILABLE, "Not recorded", "The service cannot record this right now, so it "
                            + "was not done. Try again in a minute; if it keeps happening, contact support.")
                    .withRetryAfter(60)));
            cfg.routes.exception(StoreUnavailable.class, (e, ctx) -> storeUnavailable(ctx, e.getCause()));
            // a service that declares the store's failures (the code checks) meets the same answer: 503, try again
            cfg.routes.exception(java.sql.SQLException.class, (e, ctx) -> storeUnavailable(ctx, e));
            cfg.routes.exception(se.lu.lunarc.otp.server.users.DirectoryUnavailable.class, (e, ctx) -> problem(ctx,
                    Problem.of(503, ErrorCode.DIRECTORY_UNAVAILABLE, "Account directory not answering",
                            "The account directory is not answering; try again in a minute.").withRetryAfter(60)));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                // the class name and our own message only: no stack trace or request content in the answer
                log.error("internal error on {} {}: {}", ctx.method(), endpointPath(ctx), e.getClass().getName());
                problem(ctx, HttpProblems.forStatus(500));
            });
            cfg.routes.error(404, ctx -> {
                if (ctx.result() == null) {
                    problem(ctx, HttpProblems.forStatus(404));
                }
            });
        });
    }

    /** The store did not answer: nothing was decided, so the client may simply try again. */
    private void storeUnavailable(Context ctx, Throwable cause) {
        log.error("store unavailable on {} {}: {}", ctx.method(), endpointPath(ctx),
                cause == null ? "" : cause.getClass().getName());
        problem(ctx, Problem.of(503, ErrorCode.SERVICE_UNAVAILABLE, "Not available", "The service cannot reach its "
                + "store right now, so it was not done. Try again in a minute.").withRetryAfter(STORE_RETRY_SECONDS));
    }

    /** What a client is told to wait after the store failed: a login retried by hand soon after is welcome. */
    static final long STORE_RETRY_SECONDS = 10;

    public static EnrollmentServer start(Backend backend) {
        EnrollmentServer server = new EnrollmentServer(backend);
        server.app.start();
        log.info("Listening on {}", server.baseUri());
        return server;
    }

    public int port() {
        return app.port();
    }

    public URI baseUri() {
        String host = backend.config().host();
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return URI.create((tls ? "https" : "http") + "://" + shown + ":" + port());
    }

    /** The ports Jetty listens on: with TLS there must be the HTTPS one only. */
    public java.util.List<Integer> listeningPorts() {
        return java.util.Arrays.stream(app.jettyServer().server().getConnectors())
                .map(c -> ((ServerConnector) c).getLocalPort()).toList();
    }

    public Backend backend() {
        return backend;
    }

    /** The operations this server serves, as registered. */
    List<ApiRoute> routes() {
        return routes;
    }

    /** The route's path pattern (never the request's own path, which the caller chose). */
    private static String endpointPath(Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException none) {
            return "(no route)";
        }
    }

    private void problem(Context ctx, Problem p) {
        ctx.status(p.status());
        if (p.retryAfterSeconds() != null) {
            ctx.header("Retry-After", Long.toString(p.retryAfterSeconds()));
        }
        if (p.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        try {
            ctx.contentType(PROBLEM_JSON).result(json.writeValueAsString(p));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void refusePlainHttpOffLoopback(ServerConfig config) {
        if (config.tls() != null || config.allowPlainHttp()) {
            return;
        }
        if (!InetAddressCheck.isLoopback(config.host())) {
            throw new IllegalArgumentException("refusing plain HTTP on " + config.listen()
                    + ": configure tls, listen on loopback behind a TLS proxy, or set allowPlainHttp: true");
        }
    }

    @Override
    public void close() throws Exception {
        app.stop();
        backend.close();
    }

}
