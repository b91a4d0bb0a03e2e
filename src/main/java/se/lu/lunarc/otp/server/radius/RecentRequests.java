package se.lu.lunarc.otp.server.radius;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.aaa4j.radius.core.packet.Packet;
import org.aaa4j.radius.server.DuplicationStrategy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Retransmissions (RFC 5080 §2.2.2: same source address and port, identifier and Request Authenticator) get the
 * answer already given, so a code is never checked twice. Bounded in size and time, unlike the library's default.
 * A request that was not answered (the store or the directory failed) is forgotten at once, so its retransmission
 * is worked: that is why the NAS sends it.
 */
final class RecentRequests implements DuplicationStrategy {
    private static final Object IN_PROGRESS = new Object();

    private final Cache<String, Object> answers;

    RecentRequests(Duration keep, long maxEntries) {
        this.answers = Caffeine.newBuilder().expireAfterWrite(keep).maximumSize(maxEntries).build();
    }

    private static String key(InetSocketAddress from, Packet request) {
        return from + "/" + request.getReceivedFields().getIdentifier() + "/"
                + HexFormat.of().formatHex(request.getReceivedFields().getAuthenticator());
    }

    @Override
    public Result handleRequest(InetSocketAddress from, Packet request, byte[] bytes) {
        if (request.getCode() == RadiusService.STATUS_SERVER) {
            // a proxy's "are you alive?" is answered now, never from what was true a moment ago (RFC 5997 §3)
            return new Result(Result.State.NEW_REQUEST, null);
        }
        Object seen = answers.asMap().putIfAbsent(key(from, request), IN_PROGRESS);
        if (seen == null) {
            return new Result(Result.State.NEW_REQUEST, null);
        }
        return seen instanceof Packet answer ? new Result(Result.State.CACHED_RESPONSE, answer)
                : new Result(Result.State.IN_PROGRESS_REQUEST, null);
    }

    @Override
    public void handleResponse(InetSocketAddress from, Packet request, byte[] bytes, Packet response) {
        answers.asMap().replace(key(from, request), IN_PROGRESS, response);
    }

    @Override
    public void unhandleRequest(InetSocketAddress from, Packet request, byte[] bytes) {
        answers.asMap().remove(key(from, request), IN_PROGRESS);
    }
}
