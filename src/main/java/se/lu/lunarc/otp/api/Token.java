package se.lu.lunarc.otp.api;

import java.time.Instant;

/** One token card. {@code status} is one of {@link TokenStatus}'s wire names. */
public record Token(String id, String name, String type, String status, Instant created, Instant activated,
                    Instant expires, Instant lastUsed) {}
