package se.lu.lunarc.otp.server.audit;

import se.lu.lunarc.otp.server.secrets.PrivateFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON line per security event: {@code {time, event, user, address, token?, detail?}}. Callers pass only
 * identifiers and outcomes; the type has no parameter through which a secret could be handed in by accident.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final Path file;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    /** The file as last opened: lines are appended to it until the path names another file (rotation). */
    private volatile Opened current;
    /** The one before a rotation, closed at the next one, so that a line being written to it is not cut off. */
    private Opened previous;

    private record Opened(FileOutputStream out, Object fileKey) {}

    /** One line as written: what the listeners are told. */
    public record Line(String event, String user, String address, String tokenId, String detail) {}

    /** Told of each line once it is written (the metrics count from them; the notifications follow them). */
    public interface Listener {
        void recorded(Line line);
    }

    private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public AuditLog(Path file, Clock clock) throws IOException {
        this.file = file;
        this.clock = clock;
        PrivateFiles.createIfMissing(file, "rw-------");
        this.current = open();
    }

    private Opened open() throws IOException {
        PrivateFiles.createIfMissing(file, "rw-------"); // after a rotation that did not create it
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new IOException("not a regular file");
        }
        // opened for appending (O_APPEND): each line is one write(2), which the kernel appends whole
        return new Opened(new FileOutputStream(file.toFile(), true), attributes.fileKey());
    }

    /**
     * The stream for the file the path names now: one stat(2) per call, and a new stream only when the file was
     * rotated or replaced, so that lines follow {@code logrotate} at once and a path that can no longer be written
     * is noticed before the request, not after it.
     */
    private FileOutputStream stream() throws IOException {
        Opened seen = current;
        Object key;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            key = attributes.isRegularFile() ? attributes.fileKey() : null;
        } catch (java.nio.file.NoSuchFileException e) {
            key = null;
        }
        if (key != null && key.equals(seen.fileKey())) {
            return seen.out();
        }
        synchronized (this) {
            if (current != seen) {
                return current.out();
            }
            Opened reopened = open();
            if (previous != null) {
                previous.out().close();
            }
            previous = seen;
            current = reopened;
            return reopened.out();
        }
    }

    /** Closes the file; lines recorded after this fail the request (503) as for a file that cannot be written. */
    @Override
    public synchronized void close() throws IOException {
        if (previous != null) {
            previous.out().close();
        }
        current.out().close();
    }

    /** Adds one who is told of each line written, while the backend is wired. */
    public void onRecorded(Listener listener) {
        listeners.add(listener);
    }

    public Path file() {
        return file;
    }

    /**
     * Checks, before a request changes anything or sends anything, that its events can be recorded: an SMS must
     * not go out, nor a session open, when the event saying so would be lost.
     */
    public void requireWritable() {
        try {
            stream();
        } catch (IOException e) {
            log.error("audit file {} not writable ({}); refusing requests", file, e.getClass().getSimpleName());
            throw new Unavailable();
        }
    }

    /** The audit log cannot be written: the request that caused the event is refused (503), not carried out. */
    public static final class Unavailable extends RuntimeException {
        Unavailable() {
            super("the audit log cannot be written", null, false, false);
        }
    }

    /** Any Java string as well-formed UTF-16: a lone surrogate becomes U+FFFD instead of failing the write. */
    static String wellFormed(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1));
            if (paired) {
                if (out != null) {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(s.length()).append(s, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
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

    /**
     * Appends one line. Not under a lock: each line goes to the file in one write on a descriptor opened for
     * appending, which the kernel appends whole, so lines from concurrent requests never interleave; a rotated
     * file is picked up by the next line.
     */
    private void write(String event, String user, String address, String tokenId, String detail,
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
        line.replaceAll((k, v) -> v == null ? null : wellFormed(v));
        try {
            stream().write((json.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // an event that cannot be recorded must not pass silently: the request fails closed instead
            log.error("audit file {} not writable ({}); refusing event {}", file, e.getClass().getSimpleName(), event);
            throw new Unavailable();
        }
        Line written = new Line(event, user, address, tokenId, detail);
        for (Listener l : listeners) {
            try {
                l.recorded(written);
            } catch (RuntimeException e) {
                // counting or notifying must never undo what is recorded
                log.warn("audit listener failed on {}: {}", event, e.getClass().getSimpleName());
            }
        }
    }
}
