package se.lu.lunarc.otp.server.metrics;

import se.lu.lunarc.otp.server.sms.SmsGateway;

import java.io.IOException;

/** The SMS gateway, with each message counted as sent or failed (for sign-ins and RADIUS's fallback alike). */
public final class MeteredSms implements SmsGateway {
    private final SmsGateway gateway;
    private final ServerMetrics metrics;

    public MeteredSms(SmsGateway gateway, ServerMetrics metrics) {
        this.gateway = gateway;
        this.metrics = metrics;
    }

    @Override
    public void send(String to, String text) throws IOException {
        boolean sent = false;
        try {
            gateway.send(to, text);
            sent = true;
        } finally {
            metrics.sms(sent);
        }
    }
}
