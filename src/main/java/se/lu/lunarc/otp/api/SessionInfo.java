package se.lu.lunarc.otp.api;

import java.time.Instant;

/**
 * One of the user's signed-in sessions, as the user may see it: an identifier for ending it (never the bearer
 * token), when it began and was last used, from where, and whether it is the one asking.
 */
public record SessionInfo(String id, Instant created, Instant lastUsed, Instant endsBy, String address,
                          boolean current) {}
