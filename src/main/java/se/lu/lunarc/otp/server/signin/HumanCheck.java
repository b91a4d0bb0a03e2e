package se.lu.lunarc.otp.server.signin;

import se.lu.lunarc.otp.server.errors.ProblemException;
import se.lu.lunarc.otp.server.errors.StoreUnavailable;

import se.lu.lunarc.otp.server.store.Database;
import se.lu.lunarc.otp.server.store.SpentProofs;

import org.altcha.altcha.Altcha;
import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.HumanChallenge;
import se.lu.lunarc.otp.api.HumanProof;

import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * "I am a human": an ALTCHA proof of work (the altcha library creates and verifies it). The challenge is
 * HMAC-signed, carries its expiry in the salt, and each solved challenge is accepted once, over all nodes.
 */
public final class HumanCheck {
    static final long MAX_NUMBER = 50_000; // a client finds it in tens of milliseconds
    static final Duration VALID_FOR = Duration.ofMinutes(10);

    private final String hmacKey;
    private final Clock clock;
    private final Database db;

    /**
     * {@code hmacKey}: the same on every node (derived from the store's key), so a challenge made by one node is
     * verified by another; the proofs spent are kept in the store for the same reason.
     */
    public HumanCheck(byte[] hmacKey, Database db, Clock clock) {
        this.hmacKey = HexFormat.of().formatHex(hmacKey);
        java.util.Arrays.fill(hmacKey, (byte) 0);
        this.db = db;
        this.clock = clock;
    }

    public HumanChallenge newChallenge() {
        try {
            Altcha.ChallengeOptions options = new Altcha.ChallengeOptions()
                    .setAlgorithm(Altcha.Algorithm.SHA256)
                    .setMaxNumber(MAX_NUMBER)
                    .setSecureRandomNumber(true)
                    .setHmacKey(hmacKey)
                    .setExpires(clock.instant().plus(VALID_FOR).getEpochSecond());
            Altcha.Challenge c = Altcha.createChallenge(options);
            return new HumanChallenge(c.algorithm, c.challenge, c.salt, c.maxnumber, c.signature);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create a human-check challenge", e);
        }
    }

    /** Verifies and spends a proof; throws {@code human_check_failed} when it is wrong, stale or spent. */
    public void spend(HumanProof proof) {
        if (proof == null || proof.salt() == null || proof.signature() == null || proof.challenge() == null
                || !"SHA-256".equals(proof.algorithm())) {
            throw failed();
        }
        boolean valid;
        try {
            Altcha.Payload p = new Altcha.Payload();
            p.algorithm = proof.algorithm();
            p.challenge = proof.challenge();
            p.number = proof.number();
            p.salt = proof.salt();
            p.signature = proof.signature();
            String expires = Altcha.extractParams(proof.salt()).get("expires");
            // the library skips the expiry check when the salt has none; ours always do
            valid = expires != null && Long.parseLong(expires) >= clock.instant().getEpochSecond()
                    && Altcha.verifySolution(p, hmacKey, false);
        } catch (Exception malformed) {
            valid = false;
        }
        if (!valid || !firstUse(proof.signature())) {
            throw failed();
        }
    }

    /** Records the proof as spent; false if it was spent before, here or on another node. */
    private boolean firstUse(String signature) {
        long now = clock.millis();
        // kept past the challenge's own expiry, after which the proof is refused anyway
        return StoreUnavailable.write(db, c -> SpentProofs.firstUse(c, signature, now,
                now + VALID_FOR.plusMinutes(1).toMillis()));
    }

    private static ProblemException failed() {
        return new ProblemException(400, ErrorCode.HUMAN_CHECK_FAILED, "Human check failed",
                "The \"I am a human\" check was not accepted. Tick the box again and retry.");
    }
}
