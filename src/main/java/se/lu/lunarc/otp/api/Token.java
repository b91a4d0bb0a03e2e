package se.lu.lunarc.otp.api;

import java.time.Instant;

/**
 * One token card. {@code type} says how it makes codes ({@code totp} by time, {@code hotp} by presses) and
 * {@code digits} how long they are (6 for apps; a hardware token may show 7 or 8), so that no client assumes 6.
 * {@code status} is one of {@link TokenStatus}'s wire names; {@code replayedAt}, when set, is the last time one of
 * its codes was presented a second time (someone else may have seen it).
 */
public record Token(String id, String name, String type, int digits, String status, Instant created,
                    Instant activated, Instant expires, Instant lastUsed, Instant replayedAt) {}
