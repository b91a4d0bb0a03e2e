package se.lu.lunarc.otp.server.users;

/**
 * A directory entry. {@code passwordHash} is a PHC string from {@link PasswordHasher}; {@code language} is what
 * the directory says the user reads (a language tag such as sv or en-GB), or null.
 */
public record User(String username, String displayName, String email, String mobile, String affiliation,
                   String passwordHash, String language) {
    public User(String username, String displayName, String email, String mobile, String affiliation,
                String passwordHash) {
        this(username, displayName, email, mobile, affiliation, passwordHash, null);
    }

    @Override
    public String toString() {
        return "User[" + username + "]";
    }
}
