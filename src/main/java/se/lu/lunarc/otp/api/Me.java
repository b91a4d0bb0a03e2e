package se.lu.lunarc.otp.api;

/** The General tab: who is signed in. */
public record Me(String username, String displayName, String email, String maskedPhone, String affiliation) {}
