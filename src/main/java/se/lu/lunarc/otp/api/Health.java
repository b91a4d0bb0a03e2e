package se.lu.lunarc.otp.api;

/** {@code GET /health}: this node can serve, its store and its audit log answering. */
public record Health(String status) {
    public static final Health OK = new Health("ok");
}
