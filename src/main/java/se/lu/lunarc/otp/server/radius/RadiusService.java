package se.lu.lunarc.otp.server.radius;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.aaa4j.radius.core.attribute.Attribute;
import org.aaa4j.radius.core.attribute.EnumData;
import org.aaa4j.radius.core.attribute.StringData;
import org.aaa4j.radius.core.attribute.TextData;
import org.aaa4j.radius.core.attribute.attributes.CallingStationId;
import org.aaa4j.radius.core.attribute.attributes.MessageAuthenticator;
import org.aaa4j.radius.core.attribute.attributes.NasIdentifier;
import org.aaa4j.radius.core.attribute.attributes.Prompt;
import org.aaa4j.radius.core.attribute.attributes.ProxyState;
import org.aaa4j.radius.core.attribute.attributes.ReplyMessage;
import org.aaa4j.radius.core.attribute.attributes.State;
import org.aaa4j.radius.core.attribute.attributes.UserName;
import org.aaa4j.radius.core.attribute.attributes.UserPassword;
import org.aaa4j.radius.core.packet.Packet;
import org.aaa4j.radius.core.packet.PacketCodecException;
import org.aaa4j.radius.core.packet.packets.AccessAccept;
import org.aaa4j.radius.core.packet.packets.AccessChallenge;
import org.aaa4j.radius.core.packet.packets.AccessReject;
import org.aaa4j.radius.core.packet.packets.AccessRequest;
import org.aaa4j.radius.server.RadiusServer;
import org.aaa4j.radius.server.servers.UdpRadiusServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.lu.lunarc.otp.server.Backend;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.audit.AuditLog;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * RADIUS (RFC 2865) for the cluster's login, beside the HTTP API on the same store and rules. aaa4j receives
 * the datagrams, checks the packet and any Message-Authenticator, and encodes answers with a correct Response
 * Authenticator; this class finds the NAS, turns packets into {@link RadiusAuthenticator} requests and back, and
 * drops whatever it must not answer. Work runs on a small fixed pool with a bounded queue: a flood costs at most
 * the queue's packets of memory, and what does not fit is dropped (the NAS retries or fails over).
 */
public final class RadiusService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RadiusService.class);
    private static final int QUEUE = 1024;
    private static final int SMS_QUEUE = 64;
    /** RFC 2865 §5: a text attribute holds at most 253 octets. */
    private static final int MAX_ATTRIBUTE = 253;

    private volatile RadiusClients clients;
    private final RadiusAuthenticator authenticator;
    private final AuditLog audit;
    private final se.lu.lunarc.otp.server.metrics.ServerMetrics metrics;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor smsSenders;
    private final UdpRadiusServer server;
    private final InetSocketAddress bound;
    /** The NAS of the packet this worker is on, for auditing a packet the library refused to decode. */
    private final ThreadLocal<RadiusClients.Client> current = new ThreadLocal<>();
    /** Drops are audited at most once a minute per address and reason, so a flood cannot fill the disk. */
    private final Cache<String, Boolean> recentlyAudited = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(1)).maximumSize(10_000).build();
    private final AtomicInteger dropped = new AtomicInteger();
    /** Whether the node can serve logins now, for Status-Server. */
    private final java.util.function.BooleanSupplier ready;

    private RadiusService(ServerConfig.Radius config, Backend backend) throws IOException {
        this.clients = RadiusClients.load(config.clients());
        this.audit = backend.audit();
        this.metrics = backend.metrics();
        this.ready = () -> backend.health().ready(Duration.ofSeconds(1));
        AtomicInteger s = new AtomicInteger();
        // SMS sends wait on the provider (up to its timeout): two threads of their own, a short queue, and a send
        // that finds no room fails at once instead of holding a worker that answers NASes
        this.smsSenders = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(SMS_QUEUE), r -> {
            Thread t = new Thread(r, "radius-sms-" + s.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        this.authenticator = new RadiusAuthenticator(config, backend, smsSenders);
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(config.threads(), config.threads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "radius-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        InetAddress host = InetAddress.getByName(config.host());
        // aaa4j does not tell the port it bound: for port 0 one is chosen here, so the log can name it
        this.bound = new InetSocketAddress(host, config.port() == 0 ? freePort(host) : config.port());
        this.server = UdpRadiusServer.newBuilder()
                .bindAddress(bound)
                .handler(new Handler())
                .duplicationStrategy(new RecentRequests(Duration.ofSeconds(10), 100_000))
                .executor(workers)
                .build();
    }

    /** Starts listening; fails (rather than running deaf) when the port cannot be bound. */
    public static RadiusService start(ServerConfig.Radius config, Backend backend) throws IOException {
        RadiusService service = new RadiusService(config, backend);
        try {
            service.server.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting RADIUS");
        }
        if (!service.server.isRunning()) {
            service.workers.shutdownNow();
            service.smsSenders.shutdownNow();
            throw new IOException("RADIUS could not listen on udp " + service.listening()
                    + ": is another program using the port? (radius.listen in the configuration)");
        }
        log.info("RADIUS listening on udp {} for {} client(s)", service.listening(), config.clients().size());
        return service;
    }

    private static int freePort(InetAddress host) throws IOException {
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(new InetSocketAddress(host, 0))) {
            return probe.getLocalPort();
        }
    }

    /**
     * Takes the client list and the shared secrets anew from {@code config} (a reload, SIGHUP), whole or not at all.
     * A request already matched to a client is answered with that client's secret; the next packet meets the new
     * list. Where it listens and its threads change only with a restart. Returns the number of clients.
     */
    public int reload(ServerConfig.Radius config) throws IOException {
        clients = RadiusClients.load(config.clients());
        return config.clients().size();
    }

    /** Where it listens, as HOST:PORT with the port actually bound. */
    public String listening() {
        String host = bound.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort();
    }

    public InetSocketAddress address() {
        return bound;
    }

    /** Packets dropped so far (unknown NAS, malformed, bad Message-Authenticator, overload). */
    public int dropped() {
        return dropped.get();
    }

    private final class Handler implements RadiusServer.Handler {
        @Override
        public byte[] handleClient(InetAddress from) {
            RadiusClients.Client client = clients.find(from);
            current.set(client);
            if (client == null) {
                drop(from, null, "unknown_client");
                return null;
            }
            return client.secret();
        }

        @Override
        public Packet handlePacket(InetAddress from, Packet request) {
            RadiusClients.Client client = current.get();
            metrics.radiusPacket("in", request.getCode() == STATUS_SERVER ? "status_server"
                    : request instanceof AccessRequest ? "access_request" : "other");
            List<MessageAuthenticator> authenticators = request.getAttributes(MessageAuthenticator.class);
            // RFC 3579 §3.2: 16 octets, at most once. aaa4j checks only an attribute of 16 octets and passes any
            // other length through unchecked, so one swapped for a shorter one would switch the check off
            if (authenticators.size() > 1 || authenticators.stream().anyMatch(a -> a.getData().length() != 16)) {
                throw unanswered(from, client, "message_authenticator_invalid");
            }
            if (request.getCode() == STATUS_SERVER) {
                return answered(statusServer(from, client, request, authenticators.isEmpty()));
            }
            if (!(request instanceof AccessRequest)) {
                throw unanswered(from, client, "not_access_request");
            }
            if (client.requireMessageAuthenticator() && authenticators.isEmpty()) {
                throw unanswered(from, client, "message_authenticator_missing");
            }
            String username = text(request.getAttribute(UserName.class).map(a -> a.getData().getValue()).orElse(null));
            byte[] password = request.getAttribute(UserPassword.class).map(a -> a.getData().getValue())
                    .orElse(new byte[0]);
            byte[] state = request.getAttribute(State.class).map(a -> a.getData().getValue()).orElse(null);
            AuditLog.Nas nas = new AuditLog.Nas(client.name(),
                    text(request.getAttribute(NasIdentifier.class).map(a -> a.getData().getValue()).orElse(null)),
                    text(request.getAttribute(CallingStationId.class).map(a -> a.getData().getValue()).orElse(null)));
            RadiusAuthenticator.Answer answer;
            try {
                audit.requireWritable();
                answer = metrics.timeRadius(() -> authenticator.authenticate(client,
                        new RadiusAuthenticator.Request(username, password, state, from.getHostAddress(), nas)));
            } catch (se.lu.lunarc.otp.server.users.DirectoryUnavailable e) {
                // no answer: the NAS fails over to another server, instead of a Reject for a right password
                throw unanswered(from, client, "directory_unavailable");
            } catch (Exception e) {
                // no answer: the NAS retries or fails over to another server, instead of a wrong Reject
                log.error("RADIUS request from {} not answered: {}", client.name(), e.getClass().getName());
                throw unanswered(from, client, "internal_error");
            } finally {
                Arrays.fill(password, (byte) 0);
            }
            return answered(encode(answer, request));
        }

        @Override
        public void handleException(Exception e) {
            if (e instanceof Unanswered) {
                return; // dropped on purpose, and recorded where it was decided
            }
            RadiusClients.Client client = current.get();
            String reason = e instanceof RejectedExecutionException ? "overloaded"
                    : e instanceof PacketCodecException && String.valueOf(e.getMessage()).contains("authenticator")
                    ? "message_authenticator_invalid" : "malformed";
            // the exception's class and the reason only: packet contents never reach the log
            drop(null, client, reason);
            if (client == null && !(e instanceof RejectedExecutionException)) {
                log.warn("RADIUS packet dropped: {}", e.getClass().getSimpleName());
            }
        }
    }

    /** RFC 5997 §3: Status-Server (code 12). */
    static final int STATUS_SERVER = 12;

    /**
     * Status-Server from a known NAS or proxy, with a valid Message-Authenticator (RFC 5997 §3 requires one):
     * Access-Accept while this server can serve logins (its store answers and its audit log takes lines), no
     * answer otherwise, so that a proxy marks it alive only when it is. Nothing is audited for a good one: proxies
     * ask every few seconds.
     */
    private Packet statusServer(InetAddress from, RadiusClients.Client client, Packet request,
                                boolean noAuthenticator) {
        if (noAuthenticator) {
            throw unanswered(from, client, "message_authenticator_missing");
        }
        if (!ready.getAsBoolean()) {
            throw unanswered(from, client, "not_ready");
        }
        List<Attribute<?>> attributes = new ArrayList<>();
        attributes.add(new MessageAuthenticator());
        attributes.addAll(request.getAttributes(ProxyState.class));
        return new AccessAccept(attributes);
    }

    /**
     * A request this server does not answer. Thrown rather than returned, so that aaa4j takes it out of the
     * duplicate cache: the NAS's retransmission is then worked afresh instead of being dropped as "in progress"
     * (a one-second directory hiccup must not fail a login whose retry would have gone through).
     */
    private static final class Unanswered extends RuntimeException {
        Unanswered() {
            super(null, null, false, false);
        }
    }

    private Unanswered unanswered(InetAddress from, RadiusClients.Client client, String reason) {
        drop(from, client, reason);
        return new Unanswered();
    }

    private Packet encode(RadiusAuthenticator.Answer answer, Packet request) {
        List<Attribute<?>> attributes = new ArrayList<>();
        // first, and in every answer: the BlastRADIUS mitigation (a forged answer cannot keep a valid HMAC)
        attributes.add(new MessageAuthenticator());
        if (answer instanceof RadiusAuthenticator.Challenge c) {
            attributes.add(new ReplyMessage(new TextData(fit(c.message()))));
            attributes.add(new State(new StringData(c.state())));
            attributes.add(new Prompt(new EnumData(c.echo() ? 1 : 0)));
        } else if (answer instanceof RadiusAuthenticator.Reject r && r.message() != null) {
            attributes.add(new ReplyMessage(new TextData(fit(r.message()))));
        }
        // RFC 2865 §5.33: Proxy-State is copied into the answer, unchanged and in order
        attributes.addAll(request.getAttributes(ProxyState.class));
        if (answer instanceof RadiusAuthenticator.Accept) {
            return new AccessAccept(attributes);
        }
        return answer instanceof RadiusAuthenticator.Challenge ? new AccessChallenge(attributes)
                : new AccessReject(attributes);
    }

    /** Counts an answer by its type, on its way out. */
    private Packet answered(Packet answer) {
        metrics.radiusPacket("out", answer instanceof AccessAccept ? "access_accept"
                : answer instanceof AccessChallenge ? "access_challenge" : "access_reject");
        return answer;
    }

    private void drop(InetAddress from, RadiusClients.Client client, String reason) {
        dropped.incrementAndGet();
        metrics.radiusDropped(reason);
        String where = client != null ? client.name() : from != null ? from.getHostAddress() : "?";
        if (recentlyAudited.asMap().putIfAbsent(where + "/" + reason, Boolean.TRUE) == null) {
            try {
                audit.recordRadius("radius_dropped", null, from != null ? from.getHostAddress() : null,
                        new AuditLog.Nas(client != null ? client.name() : null, null, null), reason);
            } catch (AuditLog.Unavailable logged) {
                // dropped anyway; the service log has it
            }
        }
    }

    /** A text attribute's value, cut to what RADIUS allows. */
    private static String text(String s) {
        return s == null ? null : s.length() > MAX_ATTRIBUTE ? s.substring(0, MAX_ATTRIBUTE) : s;
    }

    /** Cuts a message at a character boundary so that it fits one attribute in UTF-8. */
    static String fit(String message) {
        String s = message;
        while (s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_ATTRIBUTE) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        smsSenders.shutdownNow();
    }
}
