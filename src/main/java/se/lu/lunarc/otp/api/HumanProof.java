package se.lu.lunarc.otp.api;

/** The solved ALTCHA challenge sent back with the login. */
public record HumanProof(String algorithm, String challenge, long number, String salt, String signature) {}
