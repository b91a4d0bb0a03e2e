package se.lu.lunarc.otp.server.audit;

import se.lu.lunarc.otp.server.PrivateFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON line per security event: {@code {time, event, user, address, token?, detail?}}. Callers pass only
 * identifiers and outcomes; the type has no parameter through which a secret could be handed in by accident.
 */
public final class AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final Path file;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public AuditLog(Path file, Clock clock) throws IOException {
        this.file = file;
        this.clock = clock;
        PrivateFiles.createIfMissing(file, "rw-------");
    }

    public Path file() {
        return file;
    }

    public void record(String event, String user, String address) {
        record(event, user, address, null, null);
    }

    public void record(String event, String user, String address, String tokenId, String detail) {
        write(event, user, address, tokenId, detail, null);
    }

    /**
     * Where a RADIUS request came from: the configured client's name, and what the NAS says of itself
     * (NAS-Identifier) and of the user's side (Calling-Station-Id, the address the user logs in from).
     */
    public record Nas(String name, String nasIdentifier, String callingStationId) {}

    public void recordRadius(String event, String user, String address, Nas nas, String detail) {
        write(event, user, address, null, detail, nas);
    }

    private synchronized void write(String event, String user, String address, String tokenId, String detail,
                                     Nas nas) {
        Map<String, String> line = new LinkedHashMap<>();
        line.put("time", clock.instant().toString());
        line.put("event", event);
        line.put("user", user);
        line.put("address", address);
        if (tokenId != null) {
            line.put("token", tokenId);
        }
        if (detail != null) {
            line.put("detail", detail);
        }
        if (nas != null) {
            line.put("nas", nas.name());
            if (nas.nasIdentifier() != null) {
                line.put("nasIdentifier", nas.nasIdentifier());
            }
            if (nas.callingStationId() != null) {
                line.put("callingStationId", nas.callingStationId());
            }
        }
        try {
            Files.writeString(file, json.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the event itself must not be lost silently: it goes to the service log instead
            log.error("audit file not writable ({}); event {} user {} address {}", e.getClass().getSimpleName(),
                    event, user, address);
        }
    }
}
