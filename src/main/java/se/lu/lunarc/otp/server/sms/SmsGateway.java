package se.lu.lunarc.otp.server.sms;

import java.io.IOException;

/** Sends one text message. The text holds a one-time code: implementations must never log it. */
public interface SmsGateway {
    void send(String to, String text) throws IOException;
}
