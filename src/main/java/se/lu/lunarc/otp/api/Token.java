package se.lu.lunarc.otp.api;

import java.time.Instant;

/**
 * One token card. {@code status} is one of {@link TokenStatus}'s wire names; {@code replayedAt}, when set, is the
 * last time one of its codes was presented a second time (someone else may have seen it).
 */
public record Token(String id, String name, String type, String status, Instant created, Instant activated,
                    Instant expires, Instant lastUsed, Instant replayedAt) {}
