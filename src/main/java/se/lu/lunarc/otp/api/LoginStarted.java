package se.lu.lunarc.otp.api;

/** Answer to a correct password: the login waits for the SMS code. */
public record LoginStarted(String loginId, SmsInfo sms) {}
