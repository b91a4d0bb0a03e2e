package se.lu.lunarc.otp.api;

/** ALTCHA challenge: find n ≤ maxnumber with hex(sha256(salt + n)) = challenge. */
public record HumanChallenge(String algorithm, String challenge, String salt, long maxnumber, String signature) {}
