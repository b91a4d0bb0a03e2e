package se.lu.lunarc.otp.server.users;

import java.util.Optional;

/** Where users, their mobile numbers and their passwords live (a file today; LDAP later). */
public interface UserDirectory {
    Optional<User> find(String username);

    /**
     * Checks a password. Unknown users take the same time as wrong passwords, so that timing does not tell
     * which usernames exist.
     */
    Optional<User> authenticate(String username, char[] password);
}
