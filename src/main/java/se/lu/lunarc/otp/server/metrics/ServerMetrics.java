package se.lu.lunarc.otp.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The server's series, for Prometheus. The services report what happened; this names it. Labels are only fixed
 * words from a bounded set (a result, a reason, a path, a packet type): never a username, an address, a token or
 * anything a client sent, so no request can add a series. A reason outside the known set is counted as "other".
 *
 * <p>With metrics off, every meter is Micrometer's no-op (a composite registry with no registry in it), so the
 * services report the same way whether or not anyone scrapes.
 */
public final class ServerMetrics implements AutoCloseable {
    static final String PREFIX = "lunarc_otp_";

    /** The reasons a refusal may be labelled with; these are the words the audit log uses for them. */
    private static final Set<String> REASONS = Set.of(
            // /validate and RADIUS code checks
            "throttled", "code_invalid", "code_replayed", "no_active_token",
            // sign-in (the directory's refusals, the password waits)
            "unknown_user", "wrong_password", "not_allowed", "no_mobile_number", "new_sources_capped",
            // RADIUS answers
            "totp", "sms", "invalid_credentials", "username_invalid", "rate_limited_client", "rate_limited_user",
            "rate_limited_password", "password_throttled", "password_new_sources_capped", "state_invalid",
            "code_missing", "no_mobile", "sms_code_invalid", "sms_code_expired", "sms_failed", "sms_limit",
            // RADIUS packets dropped
            "unknown_client", "message_authenticator_invalid", "message_authenticator_missing",
            "not_access_request", "not_ready", "directory_unavailable", "internal_error", "overloaded",
            "malformed");

    /** Latency buckets: a code check takes about a millisecond, a password round with argon2id a few hundred. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5)};

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final JvmGcMetrics gc;
    private final Timer validate;
    private final Timer radius;
    private final Timer storeWrites;
    private final Timer storeReads;
    private final Counter storeErrors;
    private final Counter directoryErrors;

    private ServerMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
        this.registry = registry;
        this.prometheus = prometheus;
        if (prometheus != null) {
            // two of Micrometer's names that Prometheus's own lint refuses; process_cpu_usage says the same
            registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")
                    || id.getName().equals("system.cpu.count")));
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
            this.gc = new JvmGcMetrics();
            gc.bindTo(registry);
        } else {
            this.gc = null;
        }
        this.validate = timer("validate", "POST /api/v1/validate, from the request's body to its answer");
        this.radius = timer("radius", "a RADIUS Access-Request, from its decoding to its answer");
        this.storeWrites = Timer.builder(PREFIX + "store").tag("kind", "write")
                .description("a transaction or a read on the store").serviceLevelObjectives(BUCKETS)
                .register(registry);
        this.storeReads = Timer.builder(PREFIX + "store").tag("kind", "read")
                .description("a transaction or a read on the store").serviceLevelObjectives(BUCKETS)
                .register(registry);
        this.storeErrors = Counter.builder(PREFIX + "store_errors")
                .description("store calls that failed (the store did not answer, or refused)").register(registry);
        this.directoryErrors = Counter.builder(PREFIX + "directory_errors")
                .description("calls to the account directory that failed (it did not answer in time, or refused "
                        + "the service account)").register(registry);
    }

    /** Metrics for Prometheus, with the JVM's own series. */
    public static ServerMetrics prometheus() {
        PrometheusMeterRegistry p = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return new ServerMetrics(p, p);
    }

    /** No metrics: every report is a no-op. */
    public static ServerMetrics off() {
        return new ServerMetrics(new CompositeMeterRegistry(), null);
    }

    public boolean on() {
        return prometheus != null;
    }

    /** The text exposition format of every series, for {@code GET /metrics}. */
    public String scrape() {
        return prometheus == null ? "" : prometheus.scrape();
    }

    private Timer timer(String name, String what) {
        return Timer.builder(PREFIX + name).description(what).serviceLevelObjectives(BUCKETS).register(registry);
    }

    static String reason(String detail) {
        return detail != null && REASONS.contains(detail) ? detail : "other";
    }

    /**
     * An event the audit log has just recorded (after its commit): sign-ins, code checks and token changes are
     * counted from the same lines that record them, so the two never disagree.
     */
    public void recorded(se.lu.lunarc.otp.server.audit.AuditLog.Line line) {
        String detail = line.detail();
        switch (line.event()) {
            case "login_password_ok" -> signin("password_ok");
            case "login_ok" -> signin("ok");
            case "login_code_failed" -> signin("code_failed");
            case "login_failed" -> signin(reason(detail));
            case "login_refused" -> signin(reason(detail));
            case "validate_accept" -> code("http", "accepted", "ok");
            case "validate_reject" -> code("http", "refused", reason(detail));
            case "radius_accept" -> code("radius", "accepted", reason(detail));
            case "radius_reject" -> code("radius", "refused", reason(detail));
            case "token_created", "token_activated", "token_activation_failed", "token_renamed", "token_enabled",
                 "token_disabled", "token_resynced", "token_resync_failed", "token_revoked",
                 "hardware_token_registered", "hardware_token_register_failed", "hardware_token_unassigned" ->
                    Counter.builder(PREFIX + "token_changes").tag("event", line.event())
                            .description("changes to users' tokens, by the user or the helpdesk").register(registry)
                            .increment();
            default -> { }
        }
    }

    private void signin(String result) {
        Counter.builder(PREFIX + "signins").tag("result", result)
                .description("sign-ins of the wizard and text mode: the password step (password_ok or why not), "
                        + "then the SMS code (ok, code_failed)").register(registry).increment();
    }

    private void code(String path, String result, String reason) {
        Counter.builder(PREFIX + "codes").tag("path", path).tag("result", result).tag("reason", reason)
                .description("login answers: /validate (path http) and RADIUS (path radius), accepted or refused, "
                        + "and why").register(registry).increment();
    }

    /** An SMS given to the gateway: sent, or failed (the provider refused it or did not answer). */
    public void sms(boolean sent) {
        Counter.builder(PREFIX + "sms").tag("result", sent ? "sent" : "failed")
                .description("SMS messages given to the gateway").register(registry).increment();
    }

    /** A RADIUS packet received ({@code in}: access_request, status_server, other) or answered ({@code out}). */
    public void radiusPacket(String direction, String type) {
        Counter.builder(PREFIX + "radius_packets").tag("direction", direction).tag("type", type)
                .description("RADIUS packets by direction and type").register(registry).increment();
    }

    /** A RADIUS packet not answered, and why; every one is counted (the audit log keeps one a minute). */
    public void radiusDropped(String reason) {
        Counter.builder(PREFIX + "radius_dropped").tag("reason", reason(reason))
                .description("RADIUS packets left unanswered, by reason").register(registry).increment();
    }

    public <T, E extends Exception> T timeValidate(Work<T, E> work) throws E {
        return time(validate, work);
    }

    public <T, E extends Exception> T timeRadius(Work<T, E> work) throws E {
        return time(radius, work);
    }

    /** A transaction ({@code write}) or a read took {@code nanos}; {@code failed} when it threw. */
    public void store(boolean write, long nanos, boolean failed) {
        (write ? storeWrites : storeReads).record(Duration.ofNanos(nanos));
        if (failed) {
            storeErrors.increment();
        }
    }

    /** A directory call ({@code find}, or {@code authenticate}: the bind) took {@code nanos}. */
    public void directory(String op, long nanos) {
        Timer.builder(PREFIX + "directory").tag("op", op).description("account directory calls (LDAP search, bind)")
                .serviceLevelObjectives(BUCKETS).register(registry).record(Duration.ofNanos(nanos));
    }

    public void directoryError() {
        directoryErrors.increment();
    }

    /**
     * Sources that must wait before their next try ({@code kind}: code, password), counted by {@code count} at
     * each scrape; NaN while it cannot be counted (the store is down).
     */
    public void throttledSources(String kind, Supplier<Long> count) {
        Gauge.builder(PREFIX + "throttled_sources", () -> {
            try {
                return count.get();
            } catch (RuntimeException unavailable) {
                return Double.NaN;
            }
        }).tag("kind", kind).description("places (user and source) now waiting after wrong codes or passwords")
                .register(registry);
    }

    /** 1 while the node can serve (its store answers and its audit log takes lines, as /health says), else 0. */
    public void ready(java.util.function.BooleanSupplier ready) {
        Gauge.builder(PREFIX + "ready", () -> ready.getAsBoolean() ? 1 : 0)
                .description("1 while this node can serve logins (store and audit log answer), as /health")
                .register(registry);
    }

    /** Work that is timed; its exception passes through. */
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    private static <T, E extends Exception> T time(Timer timer, Work<T, E> work) throws E {
        long start = System.nanoTime();
        try {
            return work.run();
        } finally {
            timer.record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }
}
