package se.lu.lunarc.otp.server.users;

/**
 * The account directory did not answer (down, unreachable, timed out). Callers answer "try again later" (503) or
 * nothing at all (RADIUS, so that the NAS fails over); never a refusal, which would tell a user her password is
 * wrong. The message names the cause's kind only: no filter, username or password.
 */
public final class DirectoryUnavailable extends RuntimeException {
    public DirectoryUnavailable(String what) {
        super(what, null, false, false);
    }
}
