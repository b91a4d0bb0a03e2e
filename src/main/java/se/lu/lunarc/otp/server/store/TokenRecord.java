package se.lu.lunarc.otp.server.store;

import java.time.Instant;

/**
 * A token row. {@code sealedSecret} is the AES-GCM blob (null once revoked); {@code status} is the stored
 * state, before expiry is taken into account. {@code lastStep} is the newest time step accepted, so no code is
 * accepted twice; {@code driftSteps} is the phone's clock offset learned by resynchronisation; {@code replayedAt}
 * is the last time one of its codes was presented a second time, which the user is shown.
 */
public record TokenRecord(String id, String username, String name, String status, byte[] sealedSecret,
                          Instant created, Instant activateBefore, Instant activated, Instant expires,
                          Instant lastUsed, long lastStep, long driftSteps, int failedAttempts, Instant replayedAt) {

    public static final String PENDING = "pending";
    public static final String ACTIVE = "active";
    public static final String DISABLED = "disabled";
    public static final String REVOKED = "revoked";

    public TokenRecord withName(String newName) {
        return new TokenRecord(id, username, newName, status, sealedSecret, created, activateBefore, activated,
                expires, lastUsed, lastStep, driftSteps, failedAttempts, replayedAt);
    }

    public TokenRecord withStatus(String newStatus) {
        return new TokenRecord(id, username, name, newStatus, REVOKED.equals(newStatus) ? null : sealedSecret,
                created, activateBefore, activated, expires, lastUsed, lastStep, driftSteps, failedAttempts, replayedAt);
    }

    public TokenRecord activatedAt(Instant when, Instant until, long step) {
        return new TokenRecord(id, username, name, ACTIVE, sealedSecret, created, null, when, until, lastUsed,
                step, driftSteps, 0, replayedAt);
    }

    public TokenRecord usedAt(Instant when, long step) {
        return new TokenRecord(id, username, name, status, sealedSecret, created, activateBefore, activated, expires,
                when, step, driftSteps, 0, replayedAt);
    }

    public TokenRecord resynced(long step, long drift) {
        return new TokenRecord(id, username, name, status, sealedSecret, created, activateBefore, activated, expires,
                lastUsed, step, drift, 0, replayedAt);
    }

    public TokenRecord failedOnce() {
        return new TokenRecord(id, username, name, status, sealedSecret, created, activateBefore, activated, expires,
                lastUsed, lastStep, driftSteps, failedAttempts + 1, replayedAt);
    }

    public TokenRecord replayedAt(Instant when) {
        return new TokenRecord(id, username, name, status, sealedSecret, created, activateBefore, activated, expires,
                lastUsed, lastStep, driftSteps, failedAttempts, when);
    }

    @Override
    public String toString() {
        return "TokenRecord[id=" + id + ", user=" + username + ", status=" + status + "]";
    }
}
