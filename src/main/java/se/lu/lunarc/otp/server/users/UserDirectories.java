package se.lu.lunarc.otp.server.users;

import se.lu.lunarc.otp.server.ServerConfig;

/** The directory a server's configuration names, for the server and for the administrator's commands alike. */
public final class UserDirectories {
    private UserDirectories() {
    }

    public static UserDirectory open(ServerConfig.Users users) throws Exception {
        MobileNumbers numbers = new MobileNumbers(users.defaultRegion());
        if (users.type().equals("ldap")) {
            return new LdapUserDirectory(users.ldap(), numbers);
        }
        if (users.file() == null) {
            throw new IllegalArgumentException("users.file is required (or users.type: ldap with a users.ldap "
                    + "block): the server has no accounts to sign in");
        }
        return FileUserDirectory.load(users.file(), new PasswordHasher(), numbers, users.caseSensitive());
    }
}
