package se.lu.lunarc.otp.client;

import org.altcha.altcha.Altcha;
import se.lu.lunarc.otp.api.HumanChallenge;
import se.lu.lunarc.otp.api.HumanProof;

/** Solves the server's ALTCHA proof of work (the altcha library's solver): tens of milliseconds of hashing. */
public final class HumanCheckSolver {
    private HumanCheckSolver() {}

    public static HumanProof solve(HumanChallenge c) throws ApiException {
        Altcha.Solution solution;
        try {
            solution = Altcha.solveChallenge(c.challenge(), c.salt(), Altcha.Algorithm.fromString(c.algorithm()),
                    c.maxnumber(), 0);
        } catch (Exception e) {
            solution = null;
        }
        if (solution == null) {
            throw ApiException.of(ApiException.Kind.BAD_RESPONSE, "The human check from the server cannot be solved.",
                    "algorithm=" + c.algorithm() + " maxnumber=" + c.maxnumber(), null);
        }
        return new HumanProof(c.algorithm(), c.challenge(), solution.number, c.salt(), c.signature());
    }
}
