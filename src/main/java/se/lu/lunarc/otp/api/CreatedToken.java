package se.lu.lunarc.otp.api;

/** Answer to "create token": the pending token and its one-time enrollment data. */
public record CreatedToken(Token token, Enrollment enrollment) {}
