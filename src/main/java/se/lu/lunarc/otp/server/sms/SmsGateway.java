package se.lu.lunarc.otp.server.sms;

import java.io.IOException;

/** Sends one text message. The text holds a one-time code: implementations must never log it. */
public interface SmsGateway {
    void send(String to, String text) throws IOException;

    /** The gateway {@code sms:} configures: a file (the default, in the data folder) or an HTTP provider. */
    static SmsGateway of(se.lu.lunarc.otp.server.ServerConfig config, java.time.Clock clock) {
        return switch (config.sms().type()) {
            case "file" -> new FileSmsGateway(config.sms().file() != null ? config.sms().file()
                    : config.dataDir().resolve("sms-outbox.jsonl"), clock);
            case "http" -> new HttpSmsGateway(config.sms().http());
            default -> throw new IllegalArgumentException("sms.type must be file or http, not " + config.sms().type());
        };
    }
}
