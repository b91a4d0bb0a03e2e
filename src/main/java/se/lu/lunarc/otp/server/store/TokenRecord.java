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
                          Instant lastUsed, long lastStep, long driftSteps, int failedAttempts, Instant replayedAt,
                          Otp otp) {

    /**
     * How the token makes its codes: TOTP (time steps of {@code periodSeconds}) or HOTP (presses), with
     * {@code digits}; a hardware token's {@code serial}. For HOTP, {@code lastStep} is the last counter accepted.
     */
    public record Otp(String kind, int digits, int periodSeconds, String serial) {
        public static final String TOTP = "totp";
        public static final String HOTP = "hotp";
        /** What every phone app is given. */
        public static final Otp APP = new Otp(TOTP, 6, 30, null);

        public boolean hotp() {
            return HOTP.equals(kind);
        }
    }

    public static final String PENDING = "pending";
    public static final String ACTIVE = "active";
    public static final String DISABLED = "disabled";
    public static final String REVOKED = "revoked";

    public TokenRecord withName(String newName) {
        return new TokenRecord(id, username, newName, status, sealedSecret, created, activateBefore, activated,
                expires, lastUsed, lastStep, driftSteps, failedAttempts, replayedAt, otp);
    }

    public TokenRecord withStatus(String newStatus) {
        return new TokenRecord(id, username, name, newStatus, REVOKED.equals(newStatus) ? null : sealedSecret,
                created, activateBefore, activated, expires, lastUsed, lastStep, driftSteps, failedAttempts, replayedAt,
                otp);
    }

    public TokenRecord activatedAt(Instant when, Instant until, long step) {
        return new TokenRecord(id, username, name, ACTIVE, sealedSecret, created, null, when, until, lastUsed,
                step, driftSteps, 0, replayedAt, otp);
    }

    public TokenRecord usedAt(Instant when, long step) {
        return new TokenRecord(id, username, name, status, sealedSecret, created, activateBefore, activated, expires,
                when, step, driftSteps, 0, replayedAt, otp);
    }

    public TokenRecord resynced(long step, long drift) {
        return new TokenRecord(id, username, name, status, sealedSecret, created, activateBefore, activated, expires,
                lastUsed, step, drift, 0, replayedAt, otp);
    }

    public TokenRecord failedOnce() {
        return new TokenRecord(id, username, name, status, sealedSecret, created, activateBefore, activated, expires,
                lastUsed, lastStep, driftSteps, failedAttempts + 1, replayedAt, otp);
    }

    public TokenRecord replayedAt(Instant when) {
        return new TokenRecord(id, username, name, status, sealedSecret, created, activateBefore, activated, expires,
                lastUsed, lastStep, driftSteps, failedAttempts, when, otp);
    }

    @Override
    public String toString() {
        return "TokenRecord[id=" + id + ", user=" + username + ", status=" + status + "]";
    }
}
