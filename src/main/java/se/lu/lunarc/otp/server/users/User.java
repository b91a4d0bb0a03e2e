package se.lu.lunarc.otp.server.users;

/** A directory entry. {@code passwordHash} is a PHC string from {@link PasswordHasher}. */
public record User(String username, String displayName, String email, String mobile, String affiliation,
                   String passwordHash) {
    @Override
    public String toString() {
        return "User[" + username + "]";
    }
}
