package se.lu.lunarc.otp.server.users;

import java.util.Optional;

/**
 * Where users, their mobile numbers and their passwords live: a file, or the site's LDAP directory. Either may
 * throw {@link DirectoryUnavailable} when it cannot answer; that is never taken as a "no".
 */
public interface UserDirectory extends AutoCloseable {
    Optional<User> find(String username);

    /**
     * Checks a password. Unknown users, wrong passwords and users who may not sign in all get a refusal, which
     * takes about the same time, so that neither the answer nor its timing tells which it was; only
     * {@link Authentication#refusal()} does, for the audit log.
     */
    Authentication authenticate(String username, char[] password);

    /** The outcome of a password check: the user, or why not. */
    record Authentication(User user, String refusal) {
        public static final String UNKNOWN_USER = "unknown_user";
        public static final String WRONG_PASSWORD = "wrong_password";
        public static final String NOT_ALLOWED = "not_allowed";

        public static Authentication ok(User user) {
            return new Authentication(user, null);
        }

        public static Authentication refused(String why) {
            return new Authentication(null, why);
        }

        public Optional<User> asOptional() {
            return Optional.ofNullable(user);
        }
    }

    @Override
    default void close() {}
}
