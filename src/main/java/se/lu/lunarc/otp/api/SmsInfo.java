package se.lu.lunarc.otp.api;

/** What the user is told about the SMS code that was just sent. */
public record SmsInfo(String maskedPhone, int codeLength, long expiresInSeconds, long resendAfterSeconds) {}
