package se.lu.lunarc.otp.server.sms;

import se.lu.lunarc.otp.server.secrets.PrivateFiles;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Appends one JSON line {@code {to, text, sentAt}} per message: the demo's phone, and a test double that is
 * a real file. Created readable by its owner only, since it holds codes.
 */
public final class FileSmsGateway implements SmsGateway {
    private final Path file;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public FileSmsGateway(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void send(String to, String text) throws IOException {
        PrivateFiles.createIfMissing(file, "rw-------");
        Map<String, String> line = new LinkedHashMap<>();
        line.put("to", to);
        line.put("text", text);
        line.put("sentAt", clock.instant().toString());
        Files.writeString(file, json.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
    }
}
