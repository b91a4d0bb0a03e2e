package se.lu.lunarc.otp.api;

/** Request bodies of API v1 that carry no secret (secret-bearing bodies are written field by field). */
public final class Requests {
    private Requests() {}

    public record Name(String name) {}
}
